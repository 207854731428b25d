import type { Phase } from '../domain/credit.ts';
import { addDays, dateInTimeZone, type IsoDate, parseIsoDate } from '../domain/dates.ts';
import {
  isAllowedMove,
  type PhaseRuleId,
  type PhaseRules,
  proposePhaseMoves,
} from '../domain/phases.ts';
import type { CustomerSelection, PhaseFactsRow } from './assessment-ports.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';

/**
 * Phase proposals (与信フェーズの変更提案 / 信用阶段调整建议): the phase rules of
 * `config/phase-rules.json` applied to the database as of a date. Nothing here changes a
 * phase: a proposal is for a person to accept or reject through an approval.
 */

export interface ProposalDeps {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly clock: Clock;
  readonly timeZone: string;
}

/**
 * Why a move is proposed. `rule` is a phase rule (i18n `phase.rule.*`) or `antisocial_check`:
 * the latest assessment's failed anti-social forces check, whose gate proposes watch.
 */
export interface ProposalReason {
  readonly rule: PhaseRuleId | 'antisocial_check';
  readonly level: 'watch' | 'incident';
  readonly params: Readonly<Record<string, string | number>>;
}

export interface PhaseMoveProposal {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly strategic: boolean;
  readonly from: Phase;
  readonly to: Phase;
  /** The most severe first. */
  readonly reasons: readonly ProposalReason[];
}

export interface ProposalsReport {
  readonly asOf: IsoDate;
  /** Proposed moves, incident first, then by customer code. */
  readonly proposals: readonly PhaseMoveProposal[];
  /**
   * Strategic accounts (重点取引先) get no automatic proposal; these are the ones the rules
   * would have flagged, listed apart for a decision by the people who manage them.
   */
  readonly strategic: readonly PhaseMoveProposal[];
}

/**
 * The move the rules call for, as if the customer were not strategic (the caller keeps
 * strategic accounts apart). A failed anti-social check adds its reason to any proposal, or
 * proposes watch on its own where watch is a legal move.
 */
export function moveFor(row: PhaseFactsRow, rules: PhaseRules, asOf: IsoDate) {
  const [domain] = proposePhaseMoves(
    {
      phase: row.phase,
      strategic: false,
      ...(row.rating ? { rating: row.rating } : {}),
      ...(row.previousRating ? { previousRating: row.previousRating } : {}),
      maxDaysOverdue: row.maxDaysOverdue,
      brokenPromiseDates: row.brokenPromiseDates,
      creditEvents: row.creditEvents,
    },
    rules,
    asOf,
  );
  let to: Phase | undefined = domain?.to;
  const reasons: ProposalReason[] = (domain?.rules ?? []).map((r) => ({
    rule: r.rule,
    level: r.level,
    params: r.params,
  }));
  if (row.antisocialFailed) {
    if (to === undefined && isAllowedMove(row.phase, 'watch')) to = 'watch';
    if (to !== undefined) reasons.push({ rule: 'antisocial_check', level: 'watch', params: {} });
  }
  if (to === undefined) return undefined;
  return {
    customerId: row.customerId,
    code: row.code,
    legalName: row.legalName,
    strategic: row.strategic,
    from: row.phase,
    to,
    reasons,
  } satisfies PhaseMoveProposal;
}

function factsQuery(rules: PhaseRules, asOf: IsoDate) {
  return {
    asOf,
    minDaysOverdue: Math.min(rules.watch.minDaysOverdue, rules.incident.minDaysOverdue),
    brokenSince: addDays(asOf, -(rules.watch.brokenPromiseWindowDays - 1)),
    eventsSince: addDays(asOf, -rules.eventWindowDays),
  };
}

async function proposals(
  deps: ProposalDeps,
  selection: CustomerSelection,
  asOf: IsoDate,
): Promise<PhaseMoveProposal[]> {
  const rules = deps.policy.phaseRules;
  const rows = await deps.store.assessments.phaseFacts({
    selection,
    timeZone: deps.timeZone,
    ...factsQuery(rules, asOf),
  });
  return rows.flatMap((row) => moveFor(row, rules, asOf) ?? []);
}

/**
 * The card's line for one customer: the proposed move, or for a strategic account what the
 * rules flag (`strategic: true`, for a decision, never proposed); undefined when nothing fires.
 */
export async function customerProposal(
  deps: ProposalDeps,
  customerId: number,
  asOf?: IsoDate,
): Promise<PhaseMoveProposal | undefined> {
  const date = parseIsoDate(asOf ?? dateInTimeZone(deps.clock.now(), deps.timeZone));
  const [first] = await proposals(deps, { customerIds: [customerId] }, date);
  return first;
}

const SEVERITY: Readonly<Record<string, number>> = { incident: 0, watch: 1 };

/** `creditops report proposals`: every proposed move of the portfolio, strategic ones apart. */
export async function proposalsReport(
  deps: ProposalDeps,
  options: { readonly asOf?: IsoDate } = {},
): Promise<ProposalsReport> {
  const asOf = parseIsoDate(options.asOf ?? dateInTimeZone(deps.clock.now(), deps.timeZone));
  const all = await proposals(deps, { all: true }, asOf);
  const sorted = all.sort(
    (a, b) => (SEVERITY[a.to] ?? 2) - (SEVERITY[b.to] ?? 2) || a.code.localeCompare(b.code),
  );
  return {
    asOf,
    proposals: sorted.filter((p) => !p.strategic),
    strategic: sorted.filter((p) => p.strategic),
  };
}
