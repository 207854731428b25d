import { z } from 'zod';
import { PHASES, type Phase, RATINGS, type Rating } from './credit.ts';
import { daysBetween, type IsoDate } from './dates.ts';
import { DomainError } from './errors.ts';
import { parsePolicy } from './policy.ts';

/**
 * One allowed phase move. `explicitOnly` moves are never made by a rule or a routine
 * action: they need a recorded decision by someone with authority (leaving incident).
 */
export interface PhaseMove {
  readonly from: Phase;
  readonly to: Phase;
  readonly explicitOnly: boolean;
}

/**
 * Every allowed move; anything not listed is refused. Screening can end in ongoing credit
 * or, when screening itself turns up problems, in watch. Ongoing escalates to watch, or
 * straight to incident on a sudden bankruptcy. Watch recovers to ongoing or escalates to
 * incident. Incident only steps back to watch, and only by an explicit decision: an account
 * in incident never returns directly to ongoing, and nothing ever returns to screening.
 */
export const PHASE_MOVES: readonly PhaseMove[] = [
  { from: 'screening', to: 'ongoing', explicitOnly: false },
  { from: 'screening', to: 'watch', explicitOnly: false },
  { from: 'ongoing', to: 'watch', explicitOnly: false },
  { from: 'ongoing', to: 'incident', explicitOnly: false },
  { from: 'watch', to: 'ongoing', explicitOnly: false },
  { from: 'watch', to: 'incident', explicitOnly: false },
  { from: 'incident', to: 'watch', explicitOnly: true },
];

export interface MoveOptions {
  /** The move is an explicit decision by an authorised person, not a rule or routine. */
  readonly explicit?: boolean;
}

/** Phases `from` may move to, in PHASES order; explicit-only moves only when `explicit`. */
export function allowedMoves(from: Phase, options: MoveOptions = {}): Phase[] {
  const explicit = options.explicit === true;
  const targets = PHASE_MOVES.filter((m) => m.from === from && (explicit || !m.explicitOnly)).map(
    (m) => m.to,
  );
  return PHASES.filter((p) => targets.includes(p));
}

export function isAllowedMove(from: Phase, to: Phase, options: MoveOptions = {}): boolean {
  return allowedMoves(from, options).includes(to);
}

/**
 * Refuses a move that is not in PHASE_MOVES: `errors.phase.same_phase` when nothing would
 * change, `errors.phase.needs_decision` when the move exists but only as an explicit
 * decision (incident → watch), otherwise `errors.phase.illegal_move` with the phases the
 * customer could move to (explicit ones included) as a comma list.
 */
export function checkMove(from: Phase, to: Phase, options: MoveOptions = {}): void {
  if (from === to) throw new DomainError('errors.phase.same_phase', { phase: from });
  if (isAllowedMove(from, to, options)) return;
  if (isAllowedMove(from, to, { explicit: true })) {
    throw new DomainError('errors.phase.needs_decision', { from, to });
  }
  throw new DomainError('errors.phase.illegal_move', {
    from,
    to,
    allowed: allowedMoves(from, { explicit: true }).join(', '),
  });
}

/**
 * What a move into a phase does to the account; an absent field is left unchanged.
 * `creditHold` true means no new exposure (no new orders or shipments on credit).
 */
export interface PhaseEffects {
  readonly creditHold?: boolean;
  readonly limitMinor?: number;
}

/**
 * Effects of entering `to`. Incident puts the account on credit hold and sets the limit to
 * zero: the old limit is void and a new one must be approved from scratch. Watch changes
 * neither, so an account stepping back from incident to watch stays on hold until it
 * recovers to ongoing with a re-approved limit; an ongoing account put on watch keeps
 * trading within its limit under closer monitoring. Ongoing releases the credit hold (the
 * recovery decision, or the screening approval, is the approval to trade again).
 */
export function moveEffects(to: Phase): PhaseEffects {
  switch (to) {
    case 'incident':
      return { creditHold: true, limitMinor: 0 };
    case 'ongoing':
      return { creditHold: false };
    default:
      return {};
  }
}

export const CREDIT_EVENT_KINDS = [
  'rating_change',
  'news',
  'antisocial_hit',
  'bankruptcy_filing',
  'payment_default',
] as const;
export type CreditEventKind = (typeof CREDIT_EVENT_KINDS)[number];

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface CreditEvent {
  readonly kind: CreditEventKind;
  readonly severity: Severity;
  readonly occurredOn: IsoDate;
}

/** Thresholds of the rules that propose a phase move. All day counts are whole days. */
export interface PhaseRules {
  readonly version: string;
  /** Credit events older than this many days before asOf no longer fire a rule. */
  readonly eventWindowDays: number;
  readonly watch: {
    /** A rating drop of at least this many grades (A → C is 2). */
    readonly ratingDropGrades: number;
    /** At least this many days overdue on the oldest open invoice. */
    readonly minDaysOverdue: number;
    /** At least this many broken promises to pay … */
    readonly brokenPromises: number;
    /** … in the window of this many days ending on asOf (asOf counts as the last day). */
    readonly brokenPromiseWindowDays: number;
    /** A credit event of one of these severities, of any kind. */
    readonly eventSeverities: readonly Severity[];
  };
  readonly incident: {
    readonly minDaysOverdue: number;
    /** A credit event of one of these kinds, whatever its severity. */
    readonly eventKinds: readonly CreditEventKind[];
  };
}

export const DEFAULT_PHASE_RULES: PhaseRules = {
  version: '2026-11',
  eventWindowDays: 30,
  watch: {
    ratingDropGrades: 2,
    minDaysOverdue: 60,
    brokenPromises: 2,
    brokenPromiseWindowDays: 90,
    eventSeverities: ['high'],
  },
  incident: {
    minDaysOverdue: 90,
    eventKinds: ['bankruptcy_filing'],
  },
};

const days = z.number().int().min(0);
const positiveDays = z.number().int().min(1);

export const phaseRulesSchema: z.ZodType<PhaseRules> = z
  .object({
    version: z.string().min(1),
    eventWindowDays: days,
    watch: z.object({
      ratingDropGrades: z
        .number()
        .int()
        .min(1)
        .max(RATINGS.length - 1),
      minDaysOverdue: positiveDays,
      brokenPromises: z.number().int().min(1),
      brokenPromiseWindowDays: positiveDays,
      eventSeverities: z.array(z.enum(SEVERITIES)),
    }),
    incident: z.object({
      minDaysOverdue: positiveDays,
      eventKinds: z.array(z.enum(CREDIT_EVENT_KINDS)),
    }),
  })
  .superRefine((value, ctx) => {
    if (value.incident.minDaysOverdue <= value.watch.minDaysOverdue) {
      ctx.addIssue({
        code: 'custom',
        path: ['incident', 'minDaysOverdue'],
        message: 'errors.policy.phase_overdue_order',
        params: { watch: value.watch.minDaysOverdue, incident: value.incident.minDaysOverdue },
      });
    }
  });

/** Validates config/phase-rules.json; throws a DomainError naming the bad field. */
export function parsePhaseRules(raw: unknown): PhaseRules {
  return parsePolicy('phase-rules', phaseRulesSchema, raw);
}

/** What the rules look at for one customer, as of a date. */
export interface PhaseFacts {
  readonly phase: Phase;
  /** Strategic accounts (重点取引先) are managed by decision, never by rule. */
  readonly strategic: boolean;
  readonly previousRating?: Rating;
  readonly rating?: Rating;
  readonly maxDaysOverdue: number;
  /** The days promises to pay were recognised as broken (promises.ts `resolvedOn`). */
  readonly brokenPromiseDates: readonly IsoDate[];
  readonly creditEvents: readonly CreditEvent[];
}

/** Rule ids double as i18n keys under `phase.rule.*`; `params` fill the message. */
export type PhaseRuleId =
  | 'rating_drop'
  | 'days_overdue'
  | 'broken_promises'
  | 'credit_event'
  | 'critical_event';

export interface FiredRule {
  readonly rule: PhaseRuleId;
  /** The phase this rule on its own calls for. */
  readonly level: 'watch' | 'incident';
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * A proposed move, for a person to accept or reject. `rule` and `params` are the most
 * severe rule behind it; `rules` lists every rule that fired, incident-level ones first.
 */
export interface PhaseProposal {
  readonly from: Phase;
  readonly to: Phase;
  readonly rule: PhaseRuleId;
  readonly params: Readonly<Record<string, string | number>>;
  readonly rules: readonly FiredRule[];
}

/** Whether `date` lies in the `windowDays` days ending on `asOf` (asOf − window + 1 … asOf). */
export function withinWindow(date: IsoDate, asOf: IsoDate, windowDays: number): boolean {
  const age = daysBetween(date, asOf);
  return age >= 0 && age < windowDays;
}

function firedRules(facts: PhaseFacts, rules: PhaseRules, asOf: IsoDate): FiredRule[] {
  const fired: FiredRule[] = [];
  const events = facts.creditEvents
    .filter((e) => {
      const age = daysBetween(e.occurredOn, asOf);
      return age >= 0 && age <= rules.eventWindowDays;
    })
    .sort((a, b) => a.occurredOn.localeCompare(b.occurredOn) || a.kind.localeCompare(b.kind));

  const overdue = facts.maxDaysOverdue;
  if (overdue >= rules.incident.minDaysOverdue) {
    fired.push({
      rule: 'days_overdue',
      level: 'incident',
      params: { count: overdue, threshold: rules.incident.minDaysOverdue },
    });
  }
  for (const e of events.filter((e) => rules.incident.eventKinds.includes(e.kind))) {
    fired.push({
      rule: 'critical_event',
      level: 'incident',
      params: { kind: e.kind, severity: e.severity, on: e.occurredOn },
    });
  }
  if (facts.previousRating && facts.rating) {
    const drop = RATINGS.indexOf(facts.rating) - RATINGS.indexOf(facts.previousRating);
    if (drop >= rules.watch.ratingDropGrades) {
      fired.push({
        rule: 'rating_drop',
        level: 'watch',
        params: { from: facts.previousRating, to: facts.rating, grades: drop },
      });
    }
  }
  if (overdue >= rules.watch.minDaysOverdue && overdue < rules.incident.minDaysOverdue) {
    fired.push({
      rule: 'days_overdue',
      level: 'watch',
      params: { count: overdue, threshold: rules.watch.minDaysOverdue },
    });
  }
  const broken = facts.brokenPromiseDates.filter((d) =>
    withinWindow(d, asOf, rules.watch.brokenPromiseWindowDays),
  ).length;
  if (broken >= rules.watch.brokenPromises) {
    fired.push({
      rule: 'broken_promises',
      level: 'watch',
      params: { count: broken, withinDays: rules.watch.brokenPromiseWindowDays },
    });
  }
  for (const e of events) {
    if (rules.incident.eventKinds.includes(e.kind)) continue;
    if (!rules.watch.eventSeverities.includes(e.severity)) continue;
    fired.push({
      rule: 'credit_event',
      level: 'watch',
      params: { kind: e.kind, severity: e.severity, on: e.occurredOn },
    });
  }
  return fired;
}

/**
 * Moves the policy rules PROPOSE for one customer; nothing is applied. Returns at most one
 * proposal: the most severe legal, non-explicit move any fired rule calls for, listing
 * every rule that fired. An incident-level rule also justifies watch, so a customer still
 * in screening (which cannot go straight to incident) is proposed for watch; the next run
 * then proposes incident. No proposal for strategic accounts, for a customer already at or
 * beyond the phase called for, or out of incident (leaving incident is a decision).
 * Credit events after asOf or more than `eventWindowDays` before it do not fire: an older
 * event was weighed when it happened.
 */
export function proposePhaseMoves(
  facts: PhaseFacts,
  rules: PhaseRules,
  asOf: IsoDate,
): PhaseProposal[] {
  if (facts.strategic) return [];
  const fired = firedRules(facts, rules, asOf);
  const first = fired[0];
  if (!first) return [];
  const targets: Phase[] = first.level === 'incident' ? ['incident', 'watch'] : ['watch'];
  const to = targets.find((t) => isAllowedMove(facts.phase, t));
  if (!to) return [];
  return [{ from: facts.phase, to, rule: first.rule, params: first.params, rules: fired }];
}
