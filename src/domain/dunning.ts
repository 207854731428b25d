import { z } from 'zod';
import { daysBetween, type IsoDate } from './dates.ts';
import { parsePolicy } from './policy.ts';

/**
 * Dunning steps (督促 / 催收), mildest first; the order is the severity order. Keys double
 * as i18n keys under `dunning.step.*`. `formal_notice` is the formal written demand
 * (内容証明郵便 / 律师函); `legal` hands the claim to lawyers or a collection agency.
 */
export const DUNNING_STEPS = [
  'friendly_reminder',
  'call',
  'formal_notice',
  'suspend_shipments',
  'legal',
] as const;
export type DunningStep = (typeof DUNNING_STEPS)[number];

export function stepSeverity(step: DunningStep): number {
  return DUNNING_STEPS.indexOf(step);
}

/** A rung of the ladder: the step is due once an invoice is `fromDays` or more days overdue. */
export interface DunningRung {
  readonly step: DunningStep;
  readonly fromDays: number;
}

/**
 * The ladder for customers without a segment of their own, and per-segment ladders. A
 * segment ladder replaces the default one entirely; a step it leaves out is never reached
 * automatically for that segment (strategic accounts: no automatic shipment stop).
 */
export interface DunningPolicy {
  readonly version: string;
  readonly ladder: readonly DunningRung[];
  readonly segments: Readonly<Record<string, readonly DunningRung[]>>;
}

export const DEFAULT_DUNNING_POLICY: DunningPolicy = {
  version: '2026-11',
  ladder: [
    { step: 'friendly_reminder', fromDays: 1 },
    { step: 'call', fromDays: 8 },
    { step: 'formal_notice', fromDays: 31 },
    { step: 'suspend_shipments', fromDays: 61 },
    { step: 'legal', fromDays: 91 },
  ],
  segments: {
    strategic: [
      { step: 'friendly_reminder', fromDays: 1 },
      { step: 'call', fromDays: 15 },
      { step: 'formal_notice', fromDays: 61 },
      { step: 'legal', fromDays: 121 },
    ],
    small_business: [
      { step: 'friendly_reminder', fromDays: 1 },
      { step: 'call', fromDays: 5 },
      { step: 'formal_notice', fromDays: 21 },
      { step: 'suspend_shipments', fromDays: 31 },
      { step: 'legal', fromDays: 61 },
    ],
  },
};

/**
 * A ladder must climb: strictly increasing days (from day 1 at the earliest: day 0 is the
 * due date, not overdue), each step at most once, steps in severity order, so a customer
 * only ever moves up the ladder as its invoices age.
 */
const ladderSchema = z
  .array(z.object({ step: z.enum(DUNNING_STEPS), fromDays: z.number().int().min(1) }))
  .min(1)
  .superRefine((ladder, ctx) => {
    const seen = new Set<DunningStep>();
    ladder.forEach((rung, i) => {
      if (seen.has(rung.step)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'step'],
          message: 'errors.policy.dunning_duplicate_step',
          params: { step: rung.step },
        });
        return;
      }
      seen.add(rung.step);
      const previous = ladder[i - 1];
      if (!previous) return;
      if (rung.fromDays <= previous.fromDays) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'fromDays'],
          message: 'errors.policy.dunning_days_order',
          params: { step: rung.step, days: rung.fromDays, previous: previous.fromDays },
        });
      } else if (stepSeverity(rung.step) < stepSeverity(previous.step)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'step'],
          message: 'errors.policy.dunning_step_order',
          params: { step: rung.step, previous: previous.step },
        });
      }
    });
  });

export const dunningPolicySchema: z.ZodType<DunningPolicy> = z.object({
  version: z.string().min(1),
  ladder: ladderSchema,
  segments: z.record(z.string().min(1), ladderSchema),
});

/** Validates config/dunning.json; throws a DomainError naming the bad field. */
export function parseDunningPolicy(raw: unknown): DunningPolicy {
  return parsePolicy('dunning', dunningPolicySchema, raw);
}

export interface DunningInvoice {
  readonly id: string;
  readonly dueOn: IsoDate;
  readonly openMinor: number;
  readonly currency: string;
  /** A disputed invoice (クレーム / 争议) is resolved with the customer, not dunned. */
  readonly disputed: boolean;
}

export interface DunningCustomer {
  readonly customerId: string;
  readonly segment?: string;
  readonly invoices: readonly DunningInvoice[];
  /** The latest promised date among the customer's pending promises to pay. */
  readonly pendingPromiseUntil?: IsoDate;
  /** The last dunning step taken and when. */
  readonly lastStep?: { readonly step: DunningStep; readonly on: IsoDate };
}

export interface DunningAction {
  readonly customerId: string;
  readonly step: DunningStep;
  /** Non-disputed open invoices at or past the step's threshold, oldest due date first. */
  readonly invoices: readonly DunningInvoice[];
  readonly maxDaysOverdue: number;
  /** The step is reached for the first time: no step taken yet, or only a milder one. */
  readonly isNew: boolean;
}

export interface PausedDunning {
  readonly customerId: string;
  /** The step that would be due without the promise. */
  readonly step: DunningStep;
  readonly maxDaysOverdue: number;
  /** Dunning resumes the day after this date if the promise is not kept. */
  readonly pausedUntil: IsoDate;
}

export function ladderFor(
  policy: DunningPolicy,
  segment: string | undefined,
): readonly DunningRung[] {
  return (
    (segment !== undefined && Object.hasOwn(policy.segments, segment)
      ? policy.segments[segment]
      : undefined) ?? policy.ladder
  );
}

/** Invoices that count for dunning: open, not disputed, overdue (day 1 onwards). */
function dunnable(
  customer: DunningCustomer,
  asOf: IsoDate,
): { invoice: DunningInvoice; days: number }[] {
  return customer.invoices
    .filter((invoice) => !invoice.disputed && invoice.openMinor > 0)
    .map((invoice) => ({ invoice, days: daysBetween(invoice.dueOn, asOf) }))
    .filter((x) => x.days >= 1)
    .sort((a, b) => b.days - a.days || a.invoice.id.localeCompare(b.invoice.id));
}

/** The step due for one customer ignoring any promise, or undefined when none is. */
function stepDue(
  customer: DunningCustomer,
  asOf: IsoDate,
  policy: DunningPolicy,
): Omit<DunningAction, 'isNew'> | undefined {
  const overdue = dunnable(customer, asOf);
  const maxDaysOverdue = overdue[0]?.days ?? 0;
  const rung = ladderFor(policy, customer.segment)
    .filter((r) => r.fromDays <= maxDaysOverdue)
    .at(-1);
  if (!rung) return undefined;
  return {
    customerId: customer.customerId,
    step: rung.step,
    invoices: overdue.filter((x) => x.days >= rung.fromDays).map((x) => x.invoice),
    maxDaysOverdue,
  };
}

/** A pending promise to pay dated `asOf` or later holds the customer's dunning back. */
export function isPaused(
  customer: Pick<DunningCustomer, 'pendingPromiseUntil'>,
  asOf: IsoDate,
): boolean {
  return customer.pendingPromiseUntil !== undefined && customer.pendingPromiseUntil >= asOf;
}

function bySeverity(
  a: { step: DunningStep; maxDaysOverdue: number; customerId: string },
  b: { step: DunningStep; maxDaysOverdue: number; customerId: string },
): number {
  return (
    stepSeverity(b.step) - stepSeverity(a.step) ||
    b.maxDaysOverdue - a.maxDaysOverdue ||
    a.customerId.localeCompare(b.customerId)
  );
}

/**
 * Today's dunning work list: for each customer, the highest step of its segment's ladder
 * (the default ladder when the segment has none) that its oldest non-disputed overdue
 * invoice has reached, with the invoices at or past that step's threshold. Days overdue
 * count from the due date (day 0 is the due date itself, not overdue). Disputed invoices
 * are left out entirely: they neither trigger a step nor appear in one. A customer with a
 * pending promise to pay dated asOf or later is paused and NOT listed here (see
 * `dunningPaused`); dunning resumes the day after the promised date. Most severe step
 * first, then most days overdue, then customer id.
 */
export function dunningDue(
  customers: readonly DunningCustomer[],
  asOf: IsoDate,
  policy: DunningPolicy,
): DunningAction[] {
  const actions: DunningAction[] = [];
  for (const customer of customers) {
    if (isPaused(customer, asOf)) continue;
    const due = stepDue(customer, asOf, policy);
    if (!due) continue;
    const last = customer.lastStep;
    const isNew = last === undefined || stepSeverity(last.step) < stepSeverity(due.step);
    actions.push({ ...due, isNew });
  }
  return actions.sort(bySeverity);
}

/**
 * Customers who would have a dunning step due today but are paused by a pending promise
 * to pay, with the step and the promised date: the digest lists them apart ("waiting for
 * payment promised on …"). Same order as `dunningDue`.
 */
export function dunningPaused(
  customers: readonly DunningCustomer[],
  asOf: IsoDate,
  policy: DunningPolicy,
): PausedDunning[] {
  const paused: PausedDunning[] = [];
  for (const customer of customers) {
    const until = customer.pendingPromiseUntil;
    if (until === undefined || !isPaused(customer, asOf)) continue;
    const due = stepDue(customer, asOf, policy);
    if (!due) continue;
    paused.push({
      customerId: customer.customerId,
      step: due.step,
      maxDaysOverdue: due.maxDaysOverdue,
      pausedUntil: until,
    });
  }
  return paused.sort(bySeverity);
}
