import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates.ts';
import {
  DEFAULT_DUNNING_POLICY,
  type DunningCustomer,
  type DunningInvoice,
  dunningDue,
  dunningPaused,
  parseDunningPolicy,
  stepSeverity,
} from '../../src/domain/dunning.ts';
import { type DomainError, isDomainError } from '../../src/domain/errors.ts';

const asOf = '2026-06-30';
const policy = DEFAULT_DUNNING_POLICY;

function invoice(id: string, daysOverdue: number, extra: Partial<DunningInvoice> = {}) {
  return {
    id,
    dueOn: addDays(asOf, -daysOverdue),
    openMinor: 100_000,
    currency: 'JPY',
    disputed: false,
    ...extra,
  };
}

function customer(invoices: DunningInvoice[], extra: Partial<DunningCustomer> = {}) {
  return { customerId: 'C0001', invoices, ...extra };
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe(dunningDue.name, () => {
  it.each([
    [0, undefined],
    [1, 'friendly_reminder'],
    [7, 'friendly_reminder'],
    [8, 'call'],
    [30, 'call'],
    [31, 'formal_notice'],
    [60, 'formal_notice'],
    [61, 'suspend_shipments'],
    [90, 'suspend_shipments'],
    [91, 'legal'],
  ])('at %i days overdue the default ladder calls for %s', (days, step) => {
    const [action] = dunningDue([customer([invoice('I1', days)])], asOf, policy);
    expect(action?.step).toBe(step);
    if (action) expect(action.maxDaysOverdue).toBe(days);
  });

  it('lists the invoices at or past the step threshold, oldest first, and ignores paid ones', () => {
    const [action] = dunningDue(
      [
        customer([
          invoice('I-new', 10),
          invoice('I-old', 40),
          invoice('I-mid', 31),
          invoice('I-paid', 50, { openMinor: 0 }),
        ]),
      ],
      asOf,
      policy,
    );
    expect(action?.step).toBe('formal_notice');
    expect(action?.invoices.map((i) => i.id)).toEqual(['I-old', 'I-mid']);
  });

  it('leaves disputed invoices out entirely', () => {
    const actions = dunningDue(
      [customer([invoice('I-disputed', 100, { disputed: true }), invoice('I-ok', 9)])],
      asOf,
      policy,
    );
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ step: 'call', maxDaysOverdue: 9 });
    expect(actions[0]?.invoices.map((i) => i.id)).toEqual(['I-ok']);
    expect(
      dunningDue([customer([invoice('I-disputed', 100, { disputed: true })])], asOf, policy),
    ).toEqual([]);
  });

  it('pauses for a pending promise up to its date and resumes the day after', () => {
    const promised = customer([invoice('I1', 45)], { pendingPromiseUntil: '2026-07-05' });
    expect(dunningDue([promised], asOf, policy)).toEqual([]);
    expect(dunningDue([promised], '2026-07-05', policy)).toEqual([]);
    expect(dunningPaused([promised], asOf, policy)).toEqual([
      { customerId: 'C0001', step: 'formal_notice', maxDaysOverdue: 45, pausedUntil: '2026-07-05' },
    ]);
    const [resumed] = dunningDue([promised], '2026-07-06', policy);
    expect(resumed).toMatchObject({ step: 'formal_notice', maxDaysOverdue: 51 });
    expect(dunningPaused([promised], '2026-07-06', policy)).toEqual([]);
  });

  it('is gentler for strategic accounts (no automatic shipment stop) and faster for small ones', () => {
    const at = (segment: string, days: number) =>
      dunningDue([customer([invoice('I1', days)], { segment })], asOf, policy)[0]?.step;
    expect(at('strategic', 14)).toBe('friendly_reminder');
    expect(at('strategic', 15)).toBe('call');
    expect(at('strategic', 60)).toBe('call');
    expect(at('strategic', 61)).toBe('formal_notice');
    expect(at('strategic', 100)).toBe('formal_notice');
    expect(at('small_business', 5)).toBe('call');
    expect(at('small_business', 31)).toBe('suspend_shipments');
    expect(at('unknown-segment', 8)).toBe('call');
  });

  it('marks a step new only when it was not reached before', () => {
    const invoices = [invoice('I1', 40)];
    const isNew = (lastStep?: DunningCustomer['lastStep']) =>
      dunningDue([customer(invoices, lastStep ? { lastStep } : {})], asOf, policy)[0]?.isNew;
    expect(isNew()).toBe(true);
    expect(isNew({ step: 'call', on: '2026-06-01' })).toBe(true);
    expect(isNew({ step: 'formal_notice', on: '2026-06-25' })).toBe(false);
    expect(isNew({ step: 'legal', on: '2026-06-25' })).toBe(false);
  });

  it('puts the most severe step first, then the longest overdue', () => {
    const actions = dunningDue(
      [
        { customerId: 'A', invoices: [invoice('a', 10)] },
        { customerId: 'B', invoices: [invoice('b', 95)] },
        { customerId: 'C', invoices: [invoice('c', 20)] },
        { customerId: 'D', invoices: [invoice('d', 2)] },
      ],
      asOf,
      policy,
    );
    expect(actions.map((a) => `${a.customerId}:${a.step}`)).toEqual([
      'B:legal',
      'C:call',
      'A:call',
      'D:friendly_reminder',
    ]);
  });
});

describe('dunning properties', () => {
  const invoiceArb = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    dueOn: fc.integer({ min: -150, max: 30 }).map((d) => addDays(asOf, d)),
    openMinor: fc.integer({ min: 0, max: 1_000_000 }),
    currency: fc.constant('JPY'),
    disputed: fc.boolean(),
  });
  const customerArb = fc.record({
    customerId: fc.string({ minLength: 1, maxLength: 4 }),
    segment: fc.constantFrom('strategic', 'small_business', 'standard'),
    invoices: fc.array(invoiceArb, { maxLength: 6 }),
  });

  it('never moves a customer down the ladder as days pass without payments', () => {
    fc.assert(
      fc.property(customerArb, fc.integer({ min: 1, max: 120 }), (c, step) => {
        const before = dunningDue([c], asOf, policy)[0];
        const after = dunningDue([c], addDays(asOf, step), policy)[0];
        if (before) {
          expect(after).toBeDefined();
          if (after)
            expect(stepSeverity(after.step)).toBeGreaterThanOrEqual(stepSeverity(before.step));
        }
      }),
    );
  });

  it('never includes a disputed invoice', () => {
    fc.assert(
      fc.property(fc.array(customerArb, { maxLength: 5 }), (customers) => {
        for (const action of dunningDue(customers, asOf, policy)) {
          expect(action.invoices.length).toBeGreaterThan(0);
          expect(action.invoices.every((i) => !i.disputed)).toBe(true);
        }
      }),
    );
  });
});

describe(parseDunningPolicy.name, () => {
  it('accepts the shipped config/dunning.json, equal to the built-in default', () => {
    const raw = JSON.parse(readFileSync('config/dunning.json', 'utf8'));
    expect(parseDunningPolicy(raw)).toEqual(DEFAULT_DUNNING_POLICY);
  });

  it('refuses days that do not strictly increase, naming the rung', () => {
    const error = refusal(() =>
      parseDunningPolicy({
        ...policy,
        ladder: [
          { step: 'friendly_reminder', fromDays: 1 },
          { step: 'call', fromDays: 1 },
        ],
      }),
    );
    expect(error.code).toBe('errors.policy.dunning_days_order');
    expect(error.params).toMatchObject({ policy: 'dunning', field: 'ladder.1.fromDays' });
  });

  it('refuses a step out of severity order, a repeated step or an unknown step', () => {
    const outOfOrder = refusal(() =>
      parseDunningPolicy({
        ...policy,
        segments: {
          small: [
            { step: 'formal_notice', fromDays: 5 },
            { step: 'call', fromDays: 10 },
          ],
        },
      }),
    );
    expect(outOfOrder.code).toBe('errors.policy.dunning_step_order');
    expect(outOfOrder.params).toMatchObject({ field: 'segments.small.1.step', step: 'call' });

    const repeated = refusal(() =>
      parseDunningPolicy({
        ...policy,
        ladder: [
          { step: 'call', fromDays: 5 },
          { step: 'call', fromDays: 10 },
        ],
      }),
    );
    expect(repeated.code).toBe('errors.policy.dunning_duplicate_step');

    const unknown = refusal(() =>
      parseDunningPolicy({ ...policy, ladder: [{ step: 'send_flowers', fromDays: 5 }] }),
    );
    expect(unknown.code).toBe('errors.policy.invalid');
    expect(unknown.params).toEqual({ policy: 'dunning', field: 'ladder.0.step' });
  });

  it('refuses a step due on the due date itself (day 0 is not overdue)', () => {
    const error = refusal(() =>
      parseDunningPolicy({ ...policy, ladder: [{ step: 'call', fromDays: 0 }] }),
    );
    expect(error.params).toEqual({ policy: 'dunning', field: 'ladder.0.fromDays' });
  });
});
