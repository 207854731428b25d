import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import {
  brokenWithin,
  evaluatePromises,
  type PaymentPromise,
  PROMISE_STATES,
  type PromiseState,
  pendingPromiseUntil,
  type ReceivedPayment,
} from '../../src/domain/promises.ts';

const promise: PaymentPromise = {
  id: 'P1',
  madeOn: '2026-06-01',
  promisedOn: '2026-06-10',
  amountMinor: 100_000,
};

function only(payments: ReceivedPayment[], asOf: string, p: PaymentPromise = promise) {
  const [evaluation] = evaluatePromises([p], payments, asOf);
  if (!evaluation) throw new Error('no evaluation');
  return evaluation;
}

describe(evaluatePromises.name, () => {
  it('is pending until the promised date, broken the day after if nothing came in', () => {
    expect(only([], '2026-06-10')).toMatchObject({ state: 'pending', resolvedOn: undefined });
    expect(only([], '2026-06-11')).toMatchObject({
      state: 'broken',
      coveredMinor: 0,
      resolvedOn: '2026-06-11',
    });
  });

  it('is kept on the day partial payments add up to the amount', () => {
    const payments = [
      { receivedOn: '2026-06-03', amountMinor: 40_000 },
      { receivedOn: '2026-06-08', amountMinor: 60_000 },
    ];
    expect(only(payments, '2026-06-05')).toMatchObject({ state: 'pending', coveredMinor: 40_000 });
    expect(only(payments, '2026-06-08')).toMatchObject({
      state: 'kept',
      coveredMinor: 100_000,
      resolvedOn: '2026-06-08',
    });
    expect(only(payments, '2026-12-31').state).toBe('kept');
  });

  it('is broken when only part was paid, reporting what was covered', () => {
    const payments = [{ receivedOn: '2026-06-10', amountMinor: 30_000 }];
    expect(only(payments, '2026-06-11')).toMatchObject({ state: 'broken', coveredMinor: 30_000 });
  });

  it('is not kept by a payment after the promised date, nor by one before the promise', () => {
    const late = [{ receivedOn: '2026-06-11', amountMinor: 100_000 }];
    expect(only(late, '2026-06-20')).toMatchObject({ state: 'broken', coveredMinor: 0 });
    const early = [{ receivedOn: '2026-05-31', amountMinor: 100_000 }];
    expect(only(early, '2026-06-05')).toMatchObject({ state: 'pending', coveredMinor: 0 });
  });

  it('lets one payment keep two promises only as far as its amount goes, earliest date first', () => {
    const second: PaymentPromise = { ...promise, id: 'P2', promisedOn: '2026-06-15' };
    const payments = [{ receivedOn: '2026-06-05', amountMinor: 150_000 }];
    const [p2, p1] = evaluatePromises([second, promise], payments, '2026-06-16');
    expect(p1).toMatchObject({ state: 'kept', coveredMinor: 100_000, resolvedOn: '2026-06-05' });
    expect(p2).toMatchObject({ state: 'broken', coveredMinor: 50_000 });

    const more = [...payments, { receivedOn: '2026-06-14', amountMinor: 50_000 }];
    const [p2b] = evaluatePromises([second, promise], more, '2026-06-16');
    expect(p2b).toMatchObject({ state: 'kept', resolvedOn: '2026-06-14' });
  });

  it('orders promises on the same date by id', () => {
    const a = { ...promise, id: 'A' };
    const b = { ...promise, id: 'B' };
    const payments = [{ receivedOn: '2026-06-02', amountMinor: 100_000 }];
    const states = evaluatePromises([b, a], payments, '2026-06-11').map((e) => [
      e.promise.id,
      e.state,
    ]);
    expect(states).toEqual([
      ['B', 'broken'],
      ['A', 'kept'],
    ]);
  });

  it('cancels a promise still open, freeing its payments; a broken one stays broken', () => {
    const cancelled = { ...promise, id: 'A', cancelledOn: '2026-06-04' };
    const other = { ...promise, id: 'B' };
    const payments = [{ receivedOn: '2026-06-02', amountMinor: 100_000 }];
    expect(only(payments, '2026-06-03', cancelled).state).toBe('kept');
    const [a, b] = evaluatePromises([cancelled, other], [], '2026-06-04');
    expect(a).toMatchObject({ state: 'cancelled', coveredMinor: 0, resolvedOn: '2026-06-04' });
    expect(b?.state).toBe('pending');
    const [a2, b2] = evaluatePromises(
      [cancelled, other],
      [{ receivedOn: '2026-06-05', amountMinor: 100_000 }],
      '2026-06-30',
    );
    expect(a2?.state).toBe('cancelled');
    expect(b2?.state).toBe('kept');
    expect(only([], '2026-06-03', cancelled).state).toBe('pending');
    expect(only([], '2026-06-30', { ...promise, cancelledOn: '2026-06-12' }).state).toBe('broken');
  });

  it('refuses a promise for nothing or dated before it was made', () => {
    for (const bad of [
      { ...promise, amountMinor: 0 },
      { ...promise, amountMinor: 1.5 },
      { ...promise, promisedOn: '2026-05-31' },
    ]) {
      try {
        evaluatePromises([bad], [], '2026-06-01');
        expect.unreachable();
      } catch (error) {
        expect(isDomainError(error)).toBe(true);
      }
    }
  });
});

describe(brokenWithin.name, () => {
  it('counts promises broken in the 90 days ending on asOf', () => {
    const promises = [
      { ...promise, id: 'old', madeOn: '2026-01-01', promisedOn: '2026-03-01' },
      { ...promise, id: 'recent', promisedOn: '2026-06-10' },
      { ...promise, id: 'open', promisedOn: '2026-07-10' },
    ];
    const asOf = '2026-06-20';
    const evaluations = evaluatePromises(promises, [], asOf);
    expect(brokenWithin(evaluations, asOf, 90).map((e) => e.promise.id)).toEqual(['recent']);
    // broken on 2026-03-02; the 120 days ending on 2026-06-20 start on 2026-02-21.
    expect(brokenWithin(evaluations, asOf, 120).map((e) => e.promise.id)).toEqual([
      'old',
      'recent',
    ]);
    expect(pendingPromiseUntil(evaluations)).toBe('2026-07-10');
  });
});

const base = '2026-06-01';
const day = fc.integer({ min: 0, max: 40 }).map((d) => addDays(base, d));
const promiseArb = fc
  .record({
    made: fc.integer({ min: 0, max: 30 }),
    length: fc.integer({ min: 0, max: 10 }),
    amountMinor: fc.integer({ min: 1, max: 1_000 }),
    cancel: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  })
  .map(
    ({ made, length, amountMinor, cancel }): PaymentPromise => ({
      id: '',
      madeOn: addDays(base, made),
      promisedOn: addDays(base, made + length),
      amountMinor,
      ...(cancel === undefined ? {} : { cancelledOn: addDays(base, cancel) }),
    }),
  );
const promisesArb = fc
  .array(promiseArb, { maxLength: 6 })
  .map((ps) => ps.map((p, i) => ({ ...p, id: `P${i}` })));
const paymentsArb = fc.array(
  fc.record({ receivedOn: day, amountMinor: fc.integer({ min: 1, max: 800 }) }),
  { maxLength: 8 },
);

describe('promise properties', () => {
  it('gives every promise exactly one known state for any asOf, covering no more than promised', () => {
    fc.assert(
      fc.property(promisesArb, paymentsArb, day, (promises, payments, asOf) => {
        const evaluations = evaluatePromises(promises, payments, asOf);
        expect(evaluations.map((e) => e.promise)).toEqual(promises);
        for (const e of evaluations) {
          expect(PROMISE_STATES).toContain(e.state);
          expect(e.coveredMinor).toBeLessThanOrEqual(e.promise.amountMinor);
          expect(e.state === 'kept').toBe(e.coveredMinor === e.promise.amountMinor);
          expect(e.state === 'pending').toBe(e.resolvedOn === undefined);
        }
        const paid = payments.reduce((sum, p) => sum + p.amountMinor, 0);
        const covered = evaluations.reduce((sum, e) => sum + e.coveredMinor, 0);
        expect(covered).toBeLessThanOrEqual(paid);
      }),
    );
  });

  it('never turns kept back into pending or broken, nor broken into pending, as time passes', () => {
    const worse: Record<PromiseState, PromiseState[]> = {
      kept: ['pending', 'broken'],
      broken: ['pending'],
      pending: [],
      cancelled: [],
    };
    fc.assert(
      fc.property(
        promisesArb,
        paymentsArb,
        day,
        fc.integer({ min: 1, max: 30 }),
        (promises, payments, asOf, step) => {
          const before = evaluatePromises(promises, payments, asOf);
          const after = evaluatePromises(promises, payments, addDays(asOf, step));
          before.forEach((b, i) => {
            const a = after[i];
            expect(a).toBeDefined();
            if (a) expect(worse[b.state]).not.toContain(a.state);
          });
        },
      ),
    );
  });
});
