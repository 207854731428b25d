import { z } from 'zod';
import { CALENDARS, type Calendar, isBusinessDay } from './calendar.ts';
import { PHASES, type Phase, ROLES, type Role } from './credit.ts';
import { addDays, dateInTimeZone, startOfDayIn } from './dates.ts';
import { DomainError } from './errors.ts';
import { isCurrencyCode, minorDigits, money } from './money.ts';
import { PHASE_MOVES } from './phases.ts';
import { parsePolicy } from './policy.ts';

/**
 * Approvals (稟議・承認 / 审批): who may ask for a credit-limit change or a phase move, who must
 * approve it, where the approval card is posted and how long a request stays open. The rules
 * are data (`config/approvals.json`); nothing here reads a clock.
 */

export interface LimitApprovalRule {
  readonly direction: 'increase' | 'decrease';
  /**
   * Applies when the size of the change |to − from| is at most this, per currency, in MINOR
   * units (the file gives major units). Absent: no upper bound (the catch-all). A currency
   * missing from the map: the rule does not apply.
   */
  readonly upToMinor?: Readonly<Record<string, number>>;
  /** Each step: the roles any one of whom may approve that step. 1–3 steps. */
  readonly steps: readonly (readonly Role[])[];
}

export interface PhaseApprovalRule {
  readonly to: Phase | 'any';
  readonly steps: readonly (readonly Role[])[];
  readonly notifyOwner: boolean;
}

export interface ApprovalDestination {
  readonly platform: string;
  readonly channel: string;
}

export interface ApprovalPolicy {
  readonly version: string;
  readonly requesters: { readonly limit: readonly Role[]; readonly phase: readonly Role[] };
  /** First match wins, in file order. */
  readonly limit: readonly LimitApprovalRule[];
  /** First match wins, in file order. */
  readonly phase: readonly PhaseApprovalRule[];
  /** Where approval cards are posted. */
  readonly destinations: readonly ApprovalDestination[];
  readonly expiry: {
    readonly businessDays: number;
    readonly calendar: Calendar;
    readonly reminderAtBp: number;
  };
}

export const LIMIT_DIRECTIONS = ['increase', 'decrease'] as const;

/**
 * Chat platforms a card can be posted to. The same list as the platforms the bot runs on
 * (src/config.ts): the domain cannot import it, and a typo here would only show up as a card
 * that never arrives.
 */
export const APPROVAL_PLATFORMS = ['slack', 'line', 'telegram', 'console'] as const;

/** More steps than this is a committee, not an approval route; it would also outlast expiry. */
export const MAX_APPROVAL_STEPS = 3;

// Slack's chat.update only takes a channel ID (C…, G… for old private channels), never a name:
// a card posted to "#approvals" could never be updated after the decision.
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;

// ---------------------------------------------------------------------------------------------
// Validation

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

const roleSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (isRole(value)) return;
    ctx.addIssue({
      code: 'custom',
      message: 'errors.policy.approval_unknown_role',
      params: { role: value, roles: ROLES.join(', ') },
    });
  })
  .transform((value) => value as Role); // checked by the refinement above

const stepsSchema = z.array(z.array(roleSchema)).superRefine((steps, ctx) => {
  if (steps.length < 1 || steps.length > MAX_APPROVAL_STEPS) {
    ctx.addIssue({
      code: 'custom',
      message: 'errors.policy.approval_steps_count',
      params: { count: steps.length, max: MAX_APPROVAL_STEPS },
    });
  }
  steps.forEach((roles, i) => {
    if (roles.length === 0) {
      ctx.addIssue({ code: 'custom', path: [i], message: 'errors.policy.approval_step_empty' });
    }
  });
});

const upToSchema = z.record(z.string(), z.int().min(1)).superRefine((upTo, ctx) => {
  for (const [currency, major] of Object.entries(upTo)) {
    if (!isCurrencyCode(currency)) {
      ctx.addIssue({
        code: 'custom',
        path: [currency],
        message: 'errors.policy.unknown_currency',
        params: { currency },
      });
    } else if (!Number.isSafeInteger(major * 10 ** minorDigits(currency))) {
      ctx.addIssue({ code: 'custom', path: [currency], message: 'errors.policy.invalid' });
    }
  }
  if (Object.keys(upTo).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'errors.policy.invalid' });
  }
});

const destinationSchema = z
  .strictObject({ platform: z.string(), channel: z.string() })
  .superRefine((destination, ctx) => {
    const { platform, channel } = destination;
    if (!(APPROVAL_PLATFORMS as readonly string[]).includes(platform)) {
      ctx.addIssue({
        code: 'custom',
        path: ['platform'],
        message: 'errors.policy.approval_destination_platform',
        params: { platform, platforms: APPROVAL_PLATFORMS.join(', ') },
      });
    } else if (channel.trim() === '' || (platform === 'slack' && !SLACK_CHANNEL_ID.test(channel))) {
      ctx.addIssue({
        code: 'custom',
        path: ['channel'],
        message: 'errors.policy.approval_destination_channel',
        params: { platform, channel },
      });
    }
  });

const fileSchema = z.strictObject({
  version: z.string().min(1),
  requesters: z.strictObject({
    limit: z.array(roleSchema).min(1),
    phase: z.array(roleSchema).min(1),
  }),
  limit: z.array(
    z.strictObject({
      direction: z.enum(LIMIT_DIRECTIONS),
      upTo: upToSchema.optional(),
      steps: stepsSchema,
    }),
  ),
  phase: z.array(
    z.strictObject({
      to: z.enum([...PHASES, 'any']),
      steps: stepsSchema,
      notifyOwner: z.boolean().default(false),
    }),
  ),
  destinations: z.array(destinationSchema).default([]),
  expiry: z.strictObject({
    businessDays: z.int().min(1).max(20),
    calendar: z.enum(CALENDARS),
    reminderAtBp: z.int().superRefine((bp, ctx) => {
      if (bp < 1 || bp > 9_999) {
        ctx.addIssue({
          code: 'custom',
          message: 'errors.policy.approval_reminder_range',
          params: { value: bp },
        });
      }
    }),
  }),
});

type ApprovalFile = z.output<typeof fileSchema>;
type Issue = {
  readonly path: (string | number)[];
  readonly message: string;
  readonly params?: Record<string, string | number>;
};

/**
 * Per direction, in file order: bounded rules with thresholds that rise from rule to rule in
 * every currency, then one catch-all (no `upTo`) as the last rule. A rule after the catch-all,
 * or a threshold not above an earlier one, could never match, which is almost always a typo.
 */
function limitRuleIssues(rules: ApprovalFile['limit']): Issue[] {
  for (const direction of LIMIT_DIRECTIONS) {
    const highest = new Map<string, number>();
    let catchAll: number | undefined;
    for (const [i, rule] of rules.entries()) {
      if (rule.direction !== direction) continue;
      if (catchAll !== undefined) {
        return [
          {
            path: ['limit', i],
            message: 'errors.policy.approval_unreachable',
            params: { earlier: `limit.${catchAll}` },
          },
        ];
      }
      if (rule.upTo === undefined) catchAll = i;
      for (const [currency, major] of Object.entries(rule.upTo ?? {})) {
        const previous = highest.get(currency);
        if (previous !== undefined && major <= previous) {
          return [
            {
              path: ['limit', i, 'upTo', currency],
              message: 'errors.policy.approval_threshold_order',
              params: { direction, currency, amount: major, previous },
            },
          ];
        }
        highest.set(currency, major);
      }
    }
    if (catchAll === undefined) {
      return [
        { path: ['limit'], message: 'errors.policy.approval_no_catch_all', params: { direction } },
      ];
    }
  }
  return [];
}

/** A phase rule after `any`, or after another rule for the same phase, never matches. */
function phaseRuleIssues(rules: ApprovalFile['phase']): Issue[] {
  for (const [i, rule] of rules.entries()) {
    const earlier = rules.findIndex((r, j) => j < i && (r.to === 'any' || r.to === rule.to));
    if (earlier >= 0) {
      return [
        {
          path: ['phase', i],
          message: 'errors.policy.approval_unreachable',
          params: { earlier: `phase.${earlier}` },
        },
      ];
    }
  }
  // Every phase a customer can be moved into needs an approver, or the request could not be made.
  for (const phase of PHASES.filter((p) => PHASE_MOVES.some((m) => m.to === p))) {
    if (!rules.some((r) => r.to === phase || r.to === 'any')) {
      return [
        { path: ['phase'], message: 'errors.policy.approval_phase_uncovered', params: { phase } },
      ];
    }
  }
  return [];
}

function destinationIssues(destinations: ApprovalFile['destinations']): Issue[] {
  for (const [i, d] of destinations.entries()) {
    const earlier = destinations.findIndex(
      (e, j) => j < i && e.platform === d.platform && e.channel === d.channel,
    );
    if (earlier >= 0) {
      return [
        {
          path: ['destinations', i],
          message: 'errors.policy.approval_destination_duplicate',
          params: { platform: d.platform, channel: d.channel },
        },
      ];
    }
  }
  return [];
}

/** Thresholds in the file are whole major units; the policy holds exact minor units. */
function toMinor(upTo: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(upTo).map(([currency, major]) => [
      currency,
      major * 10 ** minorDigits(currency),
    ]),
  );
}

/** The zod schema of `config/approvals.json`; problems carry `errors.policy.*` keys. */
export const APPROVAL_POLICY_SCHEMA = fileSchema
  .superRefine((file, ctx) => {
    const issues = [
      ...limitRuleIssues(file.limit),
      ...phaseRuleIssues(file.phase),
      ...destinationIssues(file.destinations),
    ];
    for (const issue of issues) {
      ctx.addIssue({ code: 'custom', ...issue, params: issue.params ?? {} });
    }
  })
  .transform(
    (file): ApprovalPolicy => ({
      ...file,
      limit: file.limit.map(({ upTo, ...rule }) =>
        upTo === undefined ? rule : { ...rule, upToMinor: toMinor(upTo) },
      ),
    }),
  );

/** Validates an approval policy (e.g. the parsed `config/approvals.json`); throws a DomainError naming the field. */
export function parseApprovalPolicy(raw: unknown): ApprovalPolicy {
  return parsePolicy('approvals', APPROVAL_POLICY_SCHEMA, raw);
}

const MANAGERS: readonly Role[] = ['credit_manager', 'director', 'admin'];
const DIRECTORS: readonly Role[] = ['director', 'admin'];

/**
 * The default policy, also shipped as `config/approvals.json`. Increases up to ¥5M / CN¥250k /
 * US$35k go to a credit manager, up to ¥50M / CN¥2.5M / US$350k to a director, above that to
 * both in turn; decreases and phase moves to a credit manager, with the owner told of a move.
 */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  version: '2026-11',
  requesters: {
    limit: ['sales', 'collector', 'credit_manager', 'director', 'admin'],
    phase: ['collector', 'credit_manager', 'director', 'admin'],
  },
  limit: [
    { direction: 'decrease', steps: [MANAGERS] },
    {
      direction: 'increase',
      upToMinor: { JPY: 5_000_000, CNY: 25_000_000, USD: 3_500_000 },
      steps: [MANAGERS],
    },
    {
      direction: 'increase',
      upToMinor: { JPY: 50_000_000, CNY: 250_000_000, USD: 35_000_000 },
      steps: [DIRECTORS],
    },
    { direction: 'increase', steps: [MANAGERS, DIRECTORS] },
  ],
  phase: [
    { to: 'incident', steps: [MANAGERS], notifyOwner: true },
    { to: 'any', steps: [MANAGERS], notifyOwner: true },
  ],
  destinations: [],
  expiry: { businessDays: 3, calendar: 'JP', reminderAtBp: 5_000 },
};

// ---------------------------------------------------------------------------------------------
// Routing

export type ApprovalChange =
  | {
      readonly kind: 'limit';
      readonly fromMinor: number;
      readonly toMinor: number;
      readonly currency: string;
    }
  | { readonly kind: 'phase'; readonly to: Phase };

export interface ApprovalRoute {
  /** Step by step, the roles any one of whom may approve it. */
  readonly steps: Role[][];
  readonly notifyOwner: boolean;
}

function noRule(field: string): DomainError {
  return new DomainError('errors.policy.invalid', { policy: 'approvals', field });
}

/**
 * Who must approve a change. A limit change goes by direction and size (the first rule of its
 * direction whose threshold in the currency is at least |to − from|); an unchanged limit is
 * refused with `errors.approval.no_change`. A phase move takes the first rule for its target
 * phase or `any`. Limit changes carry no owner notice of their own.
 */
export function approvalRoute(policy: ApprovalPolicy, change: ApprovalChange): ApprovalRoute {
  if (change.kind === 'phase') {
    const rule = policy.phase.find((r) => r.to === change.to || r.to === 'any');
    if (rule === undefined) throw noRule('phase');
    return { steps: rule.steps.map((roles) => [...roles]), notifyOwner: rule.notifyOwner };
  }
  const from = money(change.fromMinor, change.currency);
  const to = money(change.toMinor, change.currency);
  if (from.minor === to.minor) throw new DomainError('errors.approval.no_change');
  const direction = to.minor > from.minor ? 'increase' : 'decrease';
  const size = Math.abs(to.minor - from.minor);
  const rule = policy.limit.find((r) => {
    if (r.direction !== direction) return false;
    if (r.upToMinor === undefined) return true;
    const bound = r.upToMinor[change.currency];
    return bound !== undefined && size <= bound;
  });
  if (rule === undefined) throw noRule('limit');
  return { steps: rule.steps.map((roles) => [...roles]), notifyOwner: false };
}

// ---------------------------------------------------------------------------------------------
// Deadlines

/**
 * When a request made at `createdAt` expires and when its reminder goes out. The creation day
 * does not count (a request made late on Friday still gets three full business days):
 * `expiresAt` is the last millisecond of the Nth business day after it, on the policy's
 * calendar in `timeZone`, so that a card shows that day (23:59). `remindAt` lies
 * `reminderAtBp` / 10000 of the way from creation to expiry, to the millisecond.
 */
export function approvalDeadlines(
  policy: ApprovalPolicy,
  createdAt: Date,
  timeZone: string,
): { expiresAt: Date; remindAt: Date } {
  const { businessDays, calendar, reminderAtBp } = policy.expiry;
  let day = dateInTimeZone(createdAt, timeZone);
  for (let counted = 0; counted < businessDays; ) {
    day = addDays(day, 1);
    if (isBusinessDay(day, calendar)) counted++;
  }
  const expiresAt = startOfDayIn(addDays(day, 1), timeZone) - 1;
  const span = expiresAt - createdAt.getTime();
  const remindAt = createdAt.getTime() + Math.round((span * reminderAtBp) / 10_000);
  return { expiresAt: new Date(expiresAt), remindAt: new Date(remindAt) };
}
