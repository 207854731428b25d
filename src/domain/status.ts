import { z } from 'zod';
import { PHASES, type Phase, RATINGS, type Rating, type StatusColour } from './credit.ts';
import { parsePolicy } from './policy.ts';

/** What the traffic light looks at. Utilisation is in basis points (10000 = 100 %). */
export interface StatusInput {
  /**
   * As `utilisationBp` in limits.ts gives it: `undefined` means exposure above a limit of 0 —
   * the customer trades on credit nobody granted — and counts as over the limit (red).
   */
  readonly utilisationBp: number | undefined;
  readonly maxDaysOverdue: number;
  readonly rating: Rating | undefined;
  readonly phase: Phase;
  readonly creditHold: boolean;
  readonly blacklisted: boolean;
}

export interface StatusThresholds {
  readonly yellowUtilisationBp: number;
  readonly redUtilisationBp: number;
  readonly redDaysOverdue: number;
  readonly yellowRatings: readonly Rating[];
  readonly redRatings: readonly Rating[];
  readonly redPhases: readonly Phase[];
}

export const DEFAULT_STATUS_THRESHOLDS: StatusThresholds = {
  yellowUtilisationBp: 8_000,
  redUtilisationBp: 10_000,
  redDaysOverdue: 30,
  yellowRatings: ['D'],
  redRatings: ['E'],
  redPhases: ['watch', 'incident'],
};

export interface StatusPolicy extends StatusThresholds {
  readonly version: string;
}

const statusSchema = z
  .strictObject({
    version: z.string().min(1),
    yellowUtilisationBp: z.number().int().min(0).max(100_000),
    redUtilisationBp: z.number().int().min(0).max(100_000),
    redDaysOverdue: z.number().int().min(0).max(3_650),
    yellowRatings: z.array(z.enum(RATINGS)),
    redRatings: z.array(z.enum(RATINGS)),
    redPhases: z.array(z.enum(PHASES)),
  })
  .superRefine((value, ctx) => {
    if (value.yellowUtilisationBp > value.redUtilisationBp) {
      ctx.addIssue({
        code: 'custom',
        path: ['yellowUtilisationBp'],
        message: 'errors.policy.status_utilisation_order',
        params: { yellow: value.yellowUtilisationBp, red: value.redUtilisationBp },
      });
    }
  });

/** `config/status.json`: where yellow and red begin. */
export function parseStatusPolicy(raw: unknown): StatusPolicy {
  return parsePolicy('status', statusSchema, raw);
}

/** Reason codes double as i18n keys under `status.reason.*`. */
export interface Status {
  readonly colour: StatusColour;
  readonly reasons: readonly string[];
}

/**
 * Green / yellow / red. Red: over limit (or exposure with no limit granted), more than 30 days
 * overdue, rating E, phase watch or incident, credit hold or blacklist. Yellow: 80 % utilised,
 * 1–30 days overdue, rating D. The colour is the worst reason found; every reason is listed.
 */
export function computeStatus(
  input: StatusInput,
  thresholds: StatusThresholds = DEFAULT_STATUS_THRESHOLDS,
): Status {
  const red: string[] = [];
  const yellow: string[] = [];
  const util = input.utilisationBp;
  if (util === undefined || util > thresholds.redUtilisationBp) red.push('over_limit');
  else if (util >= thresholds.yellowUtilisationBp) yellow.push('high_utilisation');
  if (input.maxDaysOverdue > thresholds.redDaysOverdue) red.push('long_overdue');
  else if (input.maxDaysOverdue > 0) yellow.push('overdue');
  if (input.rating && thresholds.redRatings.includes(input.rating)) red.push('poor_rating');
  else if (input.rating && thresholds.yellowRatings.includes(input.rating))
    yellow.push('weak_rating');
  if (thresholds.redPhases.includes(input.phase)) red.push(`phase_${input.phase}`);
  if (input.creditHold) red.push('credit_hold');
  if (input.blacklisted) red.push('blacklisted');
  if (red.length > 0) return { colour: 'red', reasons: [...red, ...yellow] };
  if (yellow.length > 0) return { colour: 'yellow', reasons: yellow };
  return { colour: 'green', reasons: [] };
}
