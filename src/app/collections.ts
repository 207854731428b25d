import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts';
import {
  type DunningAction,
  type DunningCustomer,
  type DunningPolicy,
  type DunningStep,
  dunningDue,
  dunningPaused,
  isPaused,
} from '../domain/dunning.ts';
import { type Money, money } from '../domain/money.ts';
import { evaluatePromises, type PaymentPromise, type ReceivedPayment } from '../domain/promises.ts';
import type {
  DunningCustomerRow,
  PaymentRow,
  PromiseResolution,
  PromiseRow,
} from './collections-ports.ts';
import type { Store } from './ports.ts';

export type { PromiseResolution } from './collections-ports.ts';

/** Who changes a promise's state when its date passes or a payment keeps it. */
export const PROMISE_ACTOR = 'system:promises';

/** How far back `report promises` lists kept and broken promises, counting the as-of day. */
export const PROMISE_REPORT_DAYS = 30;

export interface EvaluateOptions {
  readonly timeZone: string;
  /** Only these customers (the card); every customer with a pending promise by default. */
  readonly customerIds?: readonly number[];
  /**
   * Store the changes (default). A report run for a future date must not: the promise is
   * not broken yet, whatever that date will bring.
   */
  readonly persist?: boolean;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** A promise as the domain reads it; a promise logged after its own date counts from that date. */
function toDomain(row: PromiseRow): PaymentPromise {
  return {
    id: String(row.id),
    promisedOn: row.promisedOn,
    amountMinor: row.amountMinor,
    madeOn: row.madeOn.localeCompare(row.promisedOn) > 0 ? row.promisedOn : row.madeOn,
  };
}

/**
 * Keeps the promises to pay up to date as of `asOf`: for each customer with a pending
 * promise, the payments received since the earliest of its open promises were made are
 * allocated by the domain rule (`evaluatePromises`), and every pending promise that is now
 * kept or broken is stored so, with the day it was resolved and an audit entry. Idempotent:
 * a second run, or a concurrent one on another replica, finds nothing left to move. Returns
 * the changes found (stored or not, see `persist`).
 */
export async function evaluatePromisesAsOf(
  store: Store,
  asOf: IsoDate,
  options: EvaluateOptions,
): Promise<PromiseResolution[]> {
  const rows = await store.collections.promisesToEvaluate({
    timeZone: options.timeZone,
    ...(options.customerIds ? { customerIds: options.customerIds } : {}),
  });
  if (rows.length === 0) return [];
  const since = new Map<number, IsoDate>();
  for (const row of rows) {
    const from = toDomain(row).madeOn;
    const earliest = since.get(row.customerId);
    if (earliest === undefined || from < earliest) since.set(row.customerId, from);
  }
  const payments = await store.collections.paymentsSince({
    customers: [...since].map(([customerId, from]) => ({ customerId, since: from })),
    until: asOf,
  });
  const key = (r: { customerId: number; currency: string }) => `${r.customerId}:${r.currency}`;
  const paid = groupBy<PaymentRow>(payments, key);
  const changes: PromiseResolution[] = [];
  for (const [group, promises] of groupBy(rows, key)) {
    const received: ReceivedPayment[] = (paid.get(group) ?? []).map((p) => ({
      receivedOn: p.receivedOn,
      amountMinor: p.amountMinor,
    }));
    const evaluations = evaluatePromises(promises.map(toDomain), received, asOf);
    for (const [i, evaluation] of evaluations.entries()) {
      const row = promises[i];
      const { state, resolvedOn } = evaluation;
      if (row?.status !== 'pending' || resolvedOn === undefined) continue;
      if (state === 'kept' || state === 'broken') {
        changes.push({ id: row.id, status: state, resolvedOn });
      }
    }
  }
  if (changes.length === 0 || options.persist === false) return changes;
  await store.transaction(async (tx) => {
    const moved = new Set(await tx.collections.resolvePromises(changes));
    for (const change of changes) {
      if (!moved.has(change.id)) continue;
      await tx.audit.record({
        actor: PROMISE_ACTOR,
        action: `promise.${change.status}`,
        entityType: 'promise',
        entityId: String(change.id),
        before: { status: 'pending' },
        after: { status: change.status, resolvedOn: change.resolvedOn },
      });
    }
  });
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Dunning

export interface DunningInvoiceLine {
  readonly number: string;
  readonly dueOn: IsoDate;
  readonly daysOverdue: number;
  readonly open: Money;
}

export interface DunningEntry {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  /** The ladder followed: `strategic` for strategic accounts, else the customer's segment. */
  readonly segment: string;
  readonly step: DunningStep;
  readonly maxDaysOverdue: number;
  /** The step's threshold was crossed today (it was not due yesterday). */
  readonly isNew: boolean;
  /** The invoices at or past the step's threshold, oldest first. */
  readonly invoices: readonly DunningInvoiceLine[];
}

export interface PausedEntry {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly segment: string;
  /** The step that would be due without the promise. */
  readonly step: DunningStep;
  readonly maxDaysOverdue: number;
  /** The promised date: dunning resumes the day after if the promise is not kept. */
  readonly pausedUntil: IsoDate;
}

export interface DunningList {
  readonly asOf: IsoDate;
  readonly due: readonly DunningEntry[];
  readonly paused: readonly PausedEntry[];
}

export interface DunningOptions {
  /** For the day a promise was made; UTC if not given. */
  readonly timeZone?: string;
  readonly currency?: string;
  readonly customerIds?: readonly number[];
}

/** Strategic accounts (重点取引先) follow the strategic ladder, whatever their size. */
function ladderSegment(row: DunningCustomerRow): string {
  return row.strategic ? 'strategic' : row.segment;
}

function toDunningCustomer(row: DunningCustomerRow): DunningCustomer {
  return {
    customerId: String(row.customerId),
    segment: ladderSegment(row),
    invoices: row.invoices.map((i) => ({
      id: String(i.id),
      dueOn: i.dueOn,
      openMinor: i.openMinor,
      currency: i.currency,
      disputed: i.disputed,
    })),
    ...(row.pendingPromiseUntil ? { pendingPromiseUntil: row.pendingPromiseUntil } : {}),
  };
}

/**
 * Today's collection work: per customer with overdue invoices, the dunning step its segment's
 * ladder puts it on (`dunningDue`), and apart from them the customers a pending promise to
 * pay holds back (`dunningPaused`). Disputed invoices neither trigger nor appear in a step.
 * Reads the open invoices and promises in one set-based query; evaluate the promises first
 * (`evaluatePromisesAsOf`) so a broken promise no longer pauses anyone.
 */
export async function dunningList(
  store: Store,
  asOf: IsoDate,
  policy: DunningPolicy,
  options: DunningOptions = {},
): Promise<DunningList> {
  const rows = await store.collections.dunningCustomers({
    asOf,
    timeZone: options.timeZone ?? 'UTC',
    ...(options.currency ? { currency: options.currency } : {}),
    ...(options.customerIds ? { customerIds: options.customerIds } : {}),
  });
  return dunningFromRows(rows, asOf, policy);
}

/**
 * The rows of `dunningCustomers` narrowed to one currency's invoices, as the query with that
 * currency returns them: customers left with no overdue invoice in it drop out. The digest
 * reads the whole portfolio once and narrows it per channel.
 */
export function dunningRowsIn(
  rows: readonly DunningCustomerRow[],
  currency: string,
): DunningCustomerRow[] {
  return rows.flatMap((row) => {
    const invoices = row.invoices.filter((i) => i.currency === currency);
    return invoices.length === 0 ? [] : [{ ...row, invoices }];
  });
}

/** A dunning step due today, without the invoice lines (the digest lists steps only). */
export type DunningStepEntry = Omit<DunningEntry, 'invoices'>;

/** Today's steps and, apart, the customers a promise holds back, from rows already read. */
function dunningActions(rows: readonly DunningCustomerRow[], asOf: IsoDate, policy: DunningPolicy) {
  const customers = rows.map(toDunningCustomer);
  // Yesterday's step, ignoring promises: a step is new the day its threshold is crossed.
  const yesterday = addDays(asOf, -1);
  const before = new Map(
    dunningDue(
      customers.map(({ pendingPromiseUntil: _, ...c }) => c),
      yesterday,
      policy,
    ).map((a) => [a.customerId, a.step]),
  );
  const withLast = customers.map((c): DunningCustomer => {
    const step = before.get(c.customerId);
    return step ? { ...c, lastStep: { step, on: yesterday } } : c;
  });
  return {
    byId: new Map(rows.map((r) => [String(r.customerId), r])),
    customers,
    due: dunningDue(withLast, asOf, policy),
  };
}

function stepEntry(row: DunningCustomerRow, action: DunningAction): DunningStepEntry {
  return {
    customerId: row.customerId,
    code: row.code,
    legalName: row.legalName,
    segment: ladderSegment(row),
    step: action.step,
    maxDaysOverdue: action.maxDaysOverdue,
    isNew: action.isNew,
  };
}

/** `dunningList` over rows already read. */
export function dunningFromRows(
  rows: readonly DunningCustomerRow[],
  asOf: IsoDate,
  policy: DunningPolicy,
): DunningList {
  const { byId, customers, due: actions } = dunningActions(rows, asOf, policy);
  const due = actions.flatMap((action): DunningEntry[] => {
    const row = byId.get(action.customerId);
    if (!row) return [];
    const invoices = new Map(row.invoices.map((i) => [String(i.id), i]));
    return [
      {
        ...stepEntry(row, action),
        invoices: action.invoices.flatMap((i) => {
          const invoice = invoices.get(i.id);
          if (!invoice) return [];
          return [
            {
              number: invoice.number,
              dueOn: invoice.dueOn,
              daysOverdue: daysBetween(invoice.dueOn, asOf),
              open: money(invoice.openMinor, invoice.currency),
            },
          ];
        }),
      },
    ];
  });
  const paused = dunningPaused(customers, asOf, policy).flatMap((p): PausedEntry[] => {
    const row = byId.get(p.customerId);
    if (!row) return [];
    return [
      {
        customerId: row.customerId,
        code: row.code,
        legalName: row.legalName,
        segment: ladderSegment(row),
        step: p.step,
        maxDaysOverdue: p.maxDaysOverdue,
        pausedUntil: p.pausedUntil,
      },
    ];
  });
  return { asOf, due, paused };
}

/**
 * Steps worked out from rows read without their promises, less the customers a promise holds
 * back as of the date: the same list as from the rows with their promises, since a promise
 * only takes its customer off the list (`dunningDue`) and moves no one else's step. The digest
 * works the steps out once and applies each time zone's promises to them.
 */
export function withoutPaused<T extends { readonly customerId: number }>(
  steps: readonly T[],
  promisedUntil: ReadonlyMap<number, IsoDate>,
  asOf: IsoDate,
): T[] {
  return steps.filter(
    (s) => !isPaused({ pendingPromiseUntil: promisedUntil.get(s.customerId) }, asOf),
  );
}

/** The `due` of `dunningFromRows` without the invoice lines, in the same order. */
export function dunningStepsFromRows(
  rows: readonly DunningCustomerRow[],
  asOf: IsoDate,
  policy: DunningPolicy,
): DunningStepEntry[] {
  const { byId, due } = dunningActions(rows, asOf, policy);
  return due.flatMap((action) => {
    const row = byId.get(action.customerId);
    return row ? [stepEntry(row, action)] : [];
  });
}

/** The next collection step for one customer, for the card. */
export type CollectionOutlook =
  | {
      readonly kind: 'due';
      readonly step: DunningStep;
      readonly maxDaysOverdue: number;
      readonly isNew: boolean;
    }
  | {
      readonly kind: 'paused';
      readonly step: DunningStep;
      readonly maxDaysOverdue: number;
      readonly pausedUntil: IsoDate;
    };

/**
 * Which dunning step is next for one customer, or that a promise holds dunning back;
 * undefined when nothing is overdue. Evaluate the customer's promises first.
 */
export async function collectionOutlook(
  store: Store,
  input: {
    readonly customerId: number;
    readonly asOf: IsoDate;
    readonly timeZone: string;
    readonly policy: DunningPolicy;
  },
): Promise<CollectionOutlook | undefined> {
  const list = await dunningList(store, input.asOf, input.policy, {
    timeZone: input.timeZone,
    customerIds: [input.customerId],
  });
  const [due] = list.due;
  if (due) {
    return { kind: 'due', step: due.step, maxDaysOverdue: due.maxDaysOverdue, isNew: due.isNew };
  }
  const [paused] = list.paused;
  if (paused) {
    return {
      kind: 'paused',
      step: paused.step,
      maxDaysOverdue: paused.maxDaysOverdue,
      pausedUntil: paused.pausedUntil,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Promises report

export interface PromiseLine {
  readonly id: number;
  readonly code: string;
  readonly legalName: string;
  readonly madeOn: IsoDate;
  readonly promisedOn: IsoDate;
  readonly amount: Money;
  readonly resolvedOn: IsoDate | undefined;
  /** Pending: days until the promised date (0 = today). */
  readonly daysLeft: number | undefined;
  readonly loggedBy: string | undefined;
}

export interface PromiseTotals {
  readonly count: number;
  readonly amountMinor: number;
}

export interface CustomerPromises {
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly pending: PromiseTotals;
  readonly kept: PromiseTotals;
  readonly broken: PromiseTotals;
}

export interface PromiseReport {
  readonly asOf: IsoDate;
  /** Kept and broken promises are those resolved from this day through asOf. */
  readonly from: IsoDate;
  /** Promised date soonest first. */
  readonly pending: readonly PromiseLine[];
  readonly kept: readonly PromiseLine[];
  readonly broken: readonly PromiseLine[];
  /** Per customer and currency, by customer code. */
  readonly customers: readonly CustomerPromises[];
}

/**
 * `report promises`: evaluates the promises as of `asOf` (stored when asOf is not after
 * `today`), then lists those still pending, soonest first, and those kept and broken in the
 * last 30 days, with per-customer totals in each customer's currency.
 */
export async function promiseReport(
  store: Store,
  input: {
    readonly asOf: IsoDate;
    readonly today: IsoDate;
    readonly timeZone: string;
    readonly currency?: string;
  },
): Promise<PromiseReport> {
  const { asOf, timeZone } = input;
  const changes = await evaluatePromisesAsOf(store, asOf, {
    timeZone,
    persist: asOf <= input.today,
  });
  const changed = new Map(changes.map((c) => [c.id, c]));
  const from = addDays(asOf, -(PROMISE_REPORT_DAYS - 1));
  const rows = await store.collections.promiseList({
    asOf,
    resolvedFrom: from,
    timeZone,
    ...(input.currency ? { currency: input.currency } : {}),
  });
  const pending: PromiseLine[] = [];
  const kept: PromiseLine[] = [];
  const broken: PromiseLine[] = [];
  const totals = new Map<string, CustomerPromises>();
  for (const row of rows) {
    const change = changed.get(row.id);
    const status = change?.status ?? row.status;
    const resolvedOn = change?.resolvedOn ?? row.resolvedOn;
    const open = status === 'pending' || resolvedOn === undefined || resolvedOn > asOf;
    if (!open && resolvedOn !== undefined && resolvedOn < from) continue;
    const state = open ? 'pending' : status;
    const line: PromiseLine = {
      id: row.id,
      code: row.code,
      legalName: row.legalName,
      madeOn: row.madeOn,
      promisedOn: row.promisedOn,
      amount: row.amount,
      resolvedOn: open ? undefined : resolvedOn,
      daysLeft: open ? daysBetween(asOf, row.promisedOn) : undefined,
      loggedBy: row.actorLabel,
    };
    (state === 'pending' ? pending : state === 'kept' ? kept : broken).push(line);
    const key = `${row.code}:${row.amount.currency}`;
    const sum = totals.get(key) ?? {
      code: row.code,
      legalName: row.legalName,
      currency: row.amount.currency,
      pending: { count: 0, amountMinor: 0 },
      kept: { count: 0, amountMinor: 0 },
      broken: { count: 0, amountMinor: 0 },
    };
    const was = sum[state];
    totals.set(key, {
      ...sum,
      [state]: { count: was.count + 1, amountMinor: was.amountMinor + row.amount.minor },
    });
  }
  const byResolved = (a: PromiseLine, b: PromiseLine) =>
    (b.resolvedOn ?? '').localeCompare(a.resolvedOn ?? '') || a.code.localeCompare(b.code);
  return {
    asOf,
    from,
    pending,
    kept: kept.sort(byResolved),
    broken: broken.sort(byResolved),
    customers: [...totals.values()].sort(
      (a, b) => a.code.localeCompare(b.code) || a.currency.localeCompare(b.currency),
    ),
  };
}
