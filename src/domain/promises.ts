import { addDays, daysBetween, type IsoDate } from './dates.ts';
import { DomainError } from './errors.ts';

/** A customer's promise to pay (入金約束 / 付款承诺) `amountMinor` by `promisedOn`. */
export interface PaymentPromise {
  readonly id: string;
  readonly promisedOn: IsoDate;
  readonly amountMinor: number;
  /** The day the promise was given; only payments from this day on count towards it. */
  readonly madeOn: IsoDate;
  readonly cancelledOn?: IsoDate;
}

/** A payment received from the customer, in the same currency as its promises. */
export interface ReceivedPayment {
  readonly receivedOn: IsoDate;
  readonly amountMinor: number;
}

/** State keys double as i18n keys under `promise.state.*`. */
export const PROMISE_STATES = ['pending', 'kept', 'broken', 'cancelled'] as const;
export type PromiseState = (typeof PROMISE_STATES)[number];

export interface PromiseEvaluation {
  readonly promise: PaymentPromise;
  readonly state: PromiseState;
  /** Minor units of payments allocated to this promise (0 when cancelled). */
  readonly coveredMinor: number;
  /**
   * The day the state became final: kept → the payment date that completed it, broken →
   * the day after the promised date, cancelled → the cancellation date; pending → undefined.
   */
  readonly resolvedOn: IsoDate | undefined;
}

function validate(promise: PaymentPromise): void {
  if (!Number.isSafeInteger(promise.amountMinor) || promise.amountMinor <= 0) {
    throw new DomainError('errors.promise.invalid_amount', {
      id: promise.id,
      value: String(promise.amountMinor),
    });
  }
  if (daysBetween(promise.madeOn, promise.promisedOn) < 0) {
    throw new DomainError('errors.promise.promised_before_made', {
      id: promise.id,
      madeOn: promise.madeOn,
      promisedOn: promise.promisedOn,
    });
  }
}

function byPromiseOrder(a: PaymentPromise, b: PaymentPromise): number {
  return a.promisedOn.localeCompare(b.promisedOn) || a.id.localeCompare(b.id);
}

/**
 * The state of every promise as of `asOf`, in the order given. Payments are allocated to
 * promises in promised-date order (then id), each promise taking the earliest payments
 * received from its `madeOn` up to and including `promisedOn` (and no later than asOf),
 * so one payment never keeps two promises beyond its amount and a later payment never
 * keeps a promise. A promise is kept the day its allocated payments reach its amount,
 * broken from the day after its date if they do not, pending until then.
 *
 * A cancellation counts only if made while the promise was still open (before the day it
 * was kept or broken) and on or before asOf; a cancelled promise takes no payments. A
 * promise already broken stays broken when cancelled afterwards, so cancelling cannot
 * clean the record the broken-promise rule looks at, and a kept promise stays kept. Thus
 * moving asOf forward never turns kept or broken back into pending. Non-positive payment
 * amounts (reversals) are ignored.
 */
export function evaluatePromises(
  promises: readonly PaymentPromise[],
  payments: readonly ReceivedPayment[],
  asOf: IsoDate,
): PromiseEvaluation[] {
  for (const p of promises) validate(p);
  const remaining = payments
    .filter((p) => p.amountMinor > 0)
    .map((p) => ({ receivedOn: p.receivedOn, left: p.amountMinor }))
    .sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));

  const results = new Map<PaymentPromise, PromiseEvaluation>();
  for (const promise of [...promises].sort(byPromiseOrder)) {
    const until = promise.promisedOn < asOf ? promise.promisedOn : asOf;
    const taken: { index: number; amount: number }[] = [];
    let covered = 0;
    let keptOn: IsoDate | undefined;
    for (const [index, payment] of remaining.entries()) {
      if (covered >= promise.amountMinor) break;
      if (payment.left === 0 || payment.receivedOn < promise.madeOn) continue;
      if (payment.receivedOn > until) break;
      const amount = Math.min(payment.left, promise.amountMinor - covered);
      taken.push({ index, amount });
      covered += amount;
      if (covered === promise.amountMinor) keptOn = payment.receivedOn;
    }
    const brokenOn = addDays(promise.promisedOn, 1);
    const resolvedOn = keptOn ?? (asOf >= brokenOn ? brokenOn : undefined);
    const cancelled =
      promise.cancelledOn !== undefined &&
      promise.cancelledOn <= asOf &&
      (resolvedOn === undefined || promise.cancelledOn < resolvedOn);
    if (cancelled) {
      results.set(promise, {
        promise,
        state: 'cancelled',
        coveredMinor: 0,
        resolvedOn: promise.cancelledOn,
      });
      continue;
    }
    for (const t of taken) {
      const payment = remaining[t.index];
      if (payment) payment.left -= t.amount;
    }
    const state: PromiseState =
      keptOn !== undefined ? 'kept' : resolvedOn !== undefined ? 'broken' : 'pending';
    results.set(promise, { promise, state, coveredMinor: covered, resolvedOn });
  }
  return promises.flatMap((p) => {
    const result = results.get(p);
    return result ? [result] : [];
  });
}

/**
 * Broken promises recognised (resolvedOn) in the `days` days ending on asOf, i.e. from
 * asOf − days + 1 through asOf, oldest first: the input of the "2 broken promises in
 * 90 days" phase rule.
 */
export function brokenWithin(
  evaluations: readonly PromiseEvaluation[],
  asOf: IsoDate,
  days: number,
): PromiseEvaluation[] {
  return evaluations
    .filter((e) => {
      if (e.state !== 'broken' || e.resolvedOn === undefined) return false;
      const age = daysBetween(e.resolvedOn, asOf);
      return age >= 0 && age < days;
    })
    .sort((a, b) => (a.resolvedOn ?? '').localeCompare(b.resolvedOn ?? ''));
}

/** The latest promised date among pending promises: dunning pauses until that day. */
export function pendingPromiseUntil(
  evaluations: readonly PromiseEvaluation[],
): IsoDate | undefined {
  let latest: IsoDate | undefined;
  for (const e of evaluations) {
    if (e.state !== 'pending') continue;
    if (latest === undefined || e.promise.promisedOn > latest) latest = e.promise.promisedOn;
  }
  return latest;
}
