import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import {
  customerProposal,
  type ProposalDeps,
  type ProposalsReport,
  proposalsReport,
} from '../../src/app/proposals.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  addAssessment,
  addBrokenPromise,
  addCreditEvent,
  addCustomer,
  addInvoices,
} from './assessment-fixture.ts';

// As of 2026-11-23 with the shipped rules: watch from 60 days overdue, incident from 90;
// two broken promises in 90 days or a drop of two grades call for watch; a bankruptcy
// filing in the last 30 days calls for incident.
const OVERDUE_65 = { issuedOn: '2026-08-20', amountMinor: 1_000_000 }; // due 09-19
const OVERDUE_70 = { issuedOn: '2026-08-15', amountMinor: 1_000_000 }; // due 09-14
const OVERDUE_95 = { issuedOn: '2026-07-21', amountMinor: 1_000_000 }; // due 08-20

let database: TestDatabase;
let deps: ProposalDeps;
let report: ProposalsReport;
const id: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
  const db = database.db;
  deps = {
    store: database.store,
    policy: DEFAULT_POLICY,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
  };
  const customers: [string, Parameters<typeof addCustomer>[1]][] = [
    ['sixty', { code: 'P1' }],
    ['ninety', { code: 'P2' }],
    ['strategic', { code: 'P3', strategic: true }],
    ['promises', { code: 'P4' }],
    ['drop', { code: 'P5' }],
    ['watched', { code: 'P6', phase: 'watch' }],
    ['bankrupt', { code: 'P7' }],
    ['screening', { code: 'P8', phase: 'screening' }],
    ['healthy', { code: 'P9' }],
  ];
  for (const [key, c] of customers) id[key] = await addCustomer(db, c);
  const of = (key: string) => id[key] ?? 0;
  await addInvoices(db, of('sixty'), [OVERDUE_65]);
  await addInvoices(db, of('ninety'), [OVERDUE_95]);
  await addInvoices(db, of('strategic'), [OVERDUE_95]);
  await addInvoices(db, of('watched'), [OVERDUE_70]);
  await addInvoices(db, of('screening'), [OVERDUE_95]);
  await addBrokenPromise(db, of('promises'), '2026-10-01');
  await addBrokenPromise(db, of('promises'), '2026-11-01');
  // One broken promise in the window and one long before it: not enough.
  await addBrokenPromise(db, of('healthy'), '2026-07-01');
  await addBrokenPromise(db, of('healthy'), '2026-11-10');
  await addAssessment(db, of('drop'), {
    assessedAt: '2026-03-01T01:00:00Z',
    score: 82,
    rating: 'A',
  });
  await addAssessment(db, of('drop'), {
    assessedAt: '2026-10-01T01:00:00Z',
    score: 55,
    rating: 'C',
  });
  await addCreditEvent(db, of('bankrupt'), {
    kind: 'bankruptcy_filing',
    severity: 'high',
    occurredAt: '2026-11-13T02:00:00Z',
  });
  report = await proposalsReport(deps, { asOf: TEST_TODAY });
});
afterAll(async () => {
  await database?.close();
});

const moves = (r: ProposalsReport['proposals']) => r.map((p) => `${p.code} ${p.from}→${p.to}`);

describe(proposalsReport.name, () => {
  it('proposes watch from 60 days overdue and incident from 90, incident first', () => {
    expect(moves(report.proposals)).toEqual([
      'P2 ongoing→incident',
      'P7 ongoing→incident',
      'P1 ongoing→watch',
      'P4 ongoing→watch',
      'P5 ongoing→watch',
      'P8 screening→watch',
    ]);
    expect(report.proposals.find((p) => p.code === 'P1')?.reasons).toEqual([
      { rule: 'days_overdue', level: 'watch', params: { count: 65, threshold: 60 } },
    ]);
    expect(report.proposals.find((p) => p.code === 'P2')?.reasons[0]).toEqual({
      rule: 'days_overdue',
      level: 'incident',
      params: { count: 95, threshold: 90 },
    });
  });

  it('reads broken promises, rating drops and credit events from the database', () => {
    const reasons = (code: string) => report.proposals.find((p) => p.code === code)?.reasons;
    expect(reasons('P4')).toEqual([
      { rule: 'broken_promises', level: 'watch', params: { count: 2, withinDays: 90 } },
    ]);
    expect(reasons('P5')).toEqual([
      { rule: 'rating_drop', level: 'watch', params: { from: 'A', to: 'C', grades: 2 } },
    ]);
    expect(reasons('P7')?.[0]).toEqual({
      rule: 'critical_event',
      level: 'incident',
      params: { kind: 'bankruptcy_filing', severity: 'high', on: '2026-11-13' },
    });
  });

  it('makes no proposal for strategic accounts and lists them apart', () => {
    expect(report.proposals.some((p) => p.strategic)).toBe(false);
    expect(moves(report.strategic)).toEqual(['P3 ongoing→incident']);
  });

  it('proposes nothing to a customer already in the phase, or with one broken promise', () => {
    const codes = [...report.proposals, ...report.strategic].map((p) => p.code);
    expect(codes).not.toContain('P6');
    expect(codes).not.toContain('P9');
  });
});

describe(customerProposal.name, () => {
  it('gives the card its one proposal, the flag of a strategic account, or nothing', async () => {
    expect(await customerProposal(deps, id.sixty ?? 0, TEST_TODAY)).toMatchObject({
      code: 'P1',
      strategic: false,
      to: 'watch',
      reasons: [{ rule: 'days_overdue', params: { count: 65, threshold: 60 } }],
    });
    expect(await customerProposal(deps, id.strategic ?? 0, TEST_TODAY)).toMatchObject({
      strategic: true,
      to: 'incident',
    });
    expect(await customerProposal(deps, id.watched ?? 0, TEST_TODAY)).toBeUndefined();
    // A week earlier P1 was 58 days overdue: no rule fired yet.
    expect(await customerProposal(deps, id.sixty ?? 0, '2026-11-16')).toBeUndefined();
  });
});
