import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvalDeadlines,
  approvalRoute,
  DEFAULT_APPROVAL_POLICY,
  parseApprovalPolicy,
} from '../../src/domain/approval-policy.ts';
import { isBusinessDay } from '../../src/domain/calendar.ts';
import { dateInTimeZone } from '../../src/domain/dates.ts';
import { type DomainError, isDomainError } from '../../src/domain/errors.ts';

const TOKYO = 'Asia/Tokyo';
const MANAGERS = ['credit_manager', 'director', 'admin'];
const DIRECTORS = ['director', 'admin'];

// The file form (thresholds in major units under `upTo`), edited freely to make bad files.
// biome-ignore lint/suspicious/noExplicitAny: each test reaches into a different corner of the JSON
type Json = Record<string, any>;

function shippedFile(): Json {
  return JSON.parse(readFileSync(new URL('../../config/approvals.json', import.meta.url), 'utf8'));
}

function refusal(change: (file: Json) => void): DomainError {
  const file = shippedFile();
  change(file);
  try {
    parseApprovalPolicy(file);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function limitRoute(fromMinor: number, toMinor: number, currency = 'JPY') {
  return approvalRoute(DEFAULT_APPROVAL_POLICY, { kind: 'limit', fromMinor, toMinor, currency });
}

describe('the shipped approval policy', () => {
  it('config/approvals.json parses and matches the built-in default', () => {
    expect(parseApprovalPolicy(shippedFile())).toEqual(DEFAULT_APPROVAL_POLICY);
  });

  it('holds thresholds in minor units: CN¥250,000 is 25,000,000 fen, US$35,000 is 3,500,000 cents', () => {
    expect(DEFAULT_APPROVAL_POLICY.limit[1]?.upToMinor).toEqual({
      JPY: 5_000_000,
      CNY: 25_000_000,
      USD: 3_500_000,
    });
  });
});

describe(approvalRoute.name, () => {
  it('sends a ¥3,000,000 increase to one credit manager, director or admin', () => {
    expect(limitRoute(10_000_000, 13_000_000)).toEqual({ steps: [MANAGERS], notifyOwner: false });
  });

  it('counts exactly ¥5,000,000 as within the first threshold', () => {
    expect(limitRoute(0, 5_000_000).steps).toEqual([MANAGERS]);
    expect(limitRoute(0, 5_000_001).steps).toEqual([DIRECTORS]);
  });

  it('sends a ¥20,000,000 increase to a director or admin', () => {
    expect(limitRoute(30_000_000, 50_000_000).steps).toEqual([DIRECTORS]);
  });

  it('sends a ¥80,000,000 increase through two steps: credit manager, then director', () => {
    expect(limitRoute(20_000_000, 100_000_000).steps).toEqual([MANAGERS, DIRECTORS]);
  });

  it('sends any decrease, even to zero, to a credit manager', () => {
    expect(limitRoute(13_000_000, 12_000_000).steps).toEqual([MANAGERS]);
    expect(limitRoute(900_000_000, 0).steps).toEqual([MANAGERS]);
  });

  it('compares a CNY increase in fen: CN¥300,000 needs a director', () => {
    expect(limitRoute(0, 25_000_000, 'CNY').steps).toEqual([MANAGERS]);
    expect(limitRoute(0, 30_000_000, 'CNY').steps).toEqual([DIRECTORS]);
  });

  it('compares a USD increase in cents: US$400,000 takes two steps', () => {
    expect(limitRoute(5_000_000, 45_000_000, 'USD').steps).toEqual([MANAGERS, DIRECTORS]);
  });

  it('sends a currency no threshold names to the catch-all of its direction', () => {
    expect(limitRoute(0, 100, 'EUR').steps).toEqual([MANAGERS, DIRECTORS]);
    expect(limitRoute(100, 0, 'EUR').steps).toEqual([MANAGERS]);
  });

  it('refuses a request that would leave the limit as it is', () => {
    expect(() => limitRoute(5_000_000, 5_000_000)).toThrow(
      expect.objectContaining({ code: 'errors.approval.no_change' }),
    );
  });

  it('tells the owner about a move to incident', () => {
    const route = approvalRoute(DEFAULT_APPROVAL_POLICY, { kind: 'phase', to: 'incident' });
    expect(route).toEqual({ steps: [MANAGERS], notifyOwner: true });
  });

  it('takes the first phase rule that matches, in file order', () => {
    const file = shippedFile();
    file.phase = [
      { to: 'watch', steps: [['director']], notifyOwner: false },
      { to: 'any', steps: [['credit_manager']] },
    ];
    const policy = parseApprovalPolicy(file);
    expect(approvalRoute(policy, { kind: 'phase', to: 'watch' })).toEqual({
      steps: [['director']],
      notifyOwner: false,
    });
    expect(approvalRoute(policy, { kind: 'phase', to: 'ongoing' }).steps).toEqual([
      ['credit_manager'],
    ]);
  });

  it('never asks fewer approvals of a larger increase (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 12 }),
        fc.integer({ min: 1, max: 10 ** 12 }),
        (a, b) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          const few = limitRoute(0, small).steps;
          const many = limitRoute(0, large).steps;
          expect(many.length).toBeGreaterThanOrEqual(few.length);
          // Whoever may approve the larger one's last step may approve the smaller one's.
          for (const role of many.at(-1) ?? []) expect(few.at(-1)).toContain(role);
        },
      ),
    );
  });
});

describe(approvalDeadlines.name, () => {
  it('gives a request made on Friday afternoon in Tokyo until the end of Wednesday', () => {
    const createdAt = new Date('2026-11-13T06:00:00Z'); // Fri 13 Nov, 15:00 JST
    const { expiresAt, remindAt } = approvalDeadlines(DEFAULT_APPROVAL_POLICY, createdAt, TOKYO);
    expect(expiresAt).toEqual(new Date('2026-11-18T14:59:59.999Z')); // Wed 18 Nov, 23:59:59.999 JST
    // Half of 5 d 9 h: 2 d 16 h 30 min later, Mon 16 Nov 07:30 JST.
    expect(remindAt).toEqual(new Date('2026-11-15T22:30:00Z'));
  });

  it('skips a Japanese holiday: 勤労感謝の日 on Monday 23 Nov pushes expiry to Thursday', () => {
    const createdAt = new Date('2026-11-20T06:00:00Z'); // Fri 20 Nov, 15:00 JST
    const { expiresAt } = approvalDeadlines(DEFAULT_APPROVAL_POLICY, createdAt, TOKYO);
    expect(expiresAt).toEqual(new Date('2026-11-26T14:59:59.999Z')); // Thu 26 Nov, end of day JST
  });

  it('takes the day in the given time zone: Friday 23:30 in Tokyo is still Friday', () => {
    const createdAt = new Date('2026-11-13T14:30:00Z'); // Fri 23:30 JST, Fri 14:30 UTC
    const { expiresAt } = approvalDeadlines(DEFAULT_APPROVAL_POLICY, createdAt, TOKYO);
    expect(expiresAt).toEqual(new Date('2026-11-18T14:59:59.999Z'));
    const utc = approvalDeadlines(DEFAULT_APPROVAL_POLICY, createdAt, 'UTC');
    expect(utc.expiresAt).toEqual(new Date('2026-11-18T23:59:59.999Z'));
  });

  it('ends the day at local midnight across a daylight-saving change (New York, NONE)', () => {
    const policy = {
      ...DEFAULT_APPROVAL_POLICY,
      expiry: { businessDays: 1, calendar: 'NONE' as const, reminderAtBp: 5_000 },
    };
    // Fri 30 Oct 2026 in New York (EDT); clocks go back on Sun 1 Nov; Mon 2 Nov is EST (−5 h).
    const { expiresAt } = approvalDeadlines(
      policy,
      new Date('2026-10-30T16:00:00Z'),
      'America/New_York',
    );
    expect(expiresAt).toEqual(new Date('2026-11-03T04:59:59.999Z'));
  });

  it('reminds strictly between the request and its expiry, which is on a business day (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2025-01-01T00:00:00Z'),
          max: new Date('2027-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 9_999 }),
        fc.integer({ min: 1, max: 10 }),
        (createdAt, reminderAtBp, businessDays) => {
          const policy = {
            ...DEFAULT_APPROVAL_POLICY,
            expiry: { businessDays, calendar: 'JP' as const, reminderAtBp },
          };
          const { expiresAt, remindAt } = approvalDeadlines(policy, createdAt, TOKYO);
          expect(remindAt.getTime()).toBeGreaterThan(createdAt.getTime());
          expect(remindAt.getTime()).toBeLessThan(expiresAt.getTime());
          const lastDay = dateInTimeZone(expiresAt, TOKYO);
          expect(isBusinessDay(lastDay, 'JP')).toBe(true);
          expect(dateInTimeZone(new Date(expiresAt.getTime() + 1), TOKYO)).not.toBe(lastDay);
        },
      ),
    );
  });
});

describe(parseApprovalPolicy.name, () => {
  it('names an unknown role and lists the roles', () => {
    const error = refusal((f) => {
      f.limit[2].steps = [['director', 'cfo']];
    });
    expect(error.code).toBe('errors.policy.approval_unknown_role');
    expect(error.params).toMatchObject({
      policy: 'approvals',
      field: 'limit.2.steps.0.1',
      role: 'cfo',
    });
    expect(String(error.params.roles)).toContain('credit_manager');
  });

  it('refuses a rule without steps', () => {
    const error = refusal((f) => {
      f.phase[0].steps = [];
    });
    expect(error.code).toBe('errors.policy.approval_steps_count');
    expect(error.params).toMatchObject({ field: 'phase.0.steps', count: 0, max: 3 });
  });

  it('refuses a step nobody may approve', () => {
    const error = refusal((f) => {
      f.limit[0].steps = [[]];
    });
    expect(error.code).toBe('errors.policy.approval_step_empty');
    expect(error.params).toMatchObject({ field: 'limit.0.steps.0' });
  });

  it('refuses more than three steps', () => {
    const error = refusal((f) => {
      f.limit[3].steps = [['credit_manager'], ['director'], ['admin'], ['admin']];
    });
    expect(error.code).toBe('errors.policy.approval_steps_count');
    expect(error.params).toMatchObject({ field: 'limit.3.steps', count: 4, max: 3 });
  });

  it('says which threshold does not rise above the earlier one of its direction', () => {
    const error = refusal((f) => {
      f.limit[2].upTo.USD = 35_000;
    });
    expect(error.code).toBe('errors.policy.approval_threshold_order');
    expect(error.params).toMatchObject({
      field: 'limit.2.upTo.USD',
      direction: 'increase',
      currency: 'USD',
      amount: 35_000,
      previous: 35_000,
    });
  });

  it('refuses a bounded rule after the catch-all of its direction as unreachable', () => {
    const error = refusal((f) => {
      f.limit.push({ direction: 'decrease', upTo: { JPY: 1_000_000 }, steps: [['director']] });
    });
    expect(error.code).toBe('errors.policy.approval_unreachable');
    expect(error.params).toMatchObject({ field: 'limit.4', earlier: 'limit.0' });
  });

  it('refuses a direction without a catch-all, which would leave large changes unrouted', () => {
    const error = refusal((f) => {
      f.limit.pop();
    });
    expect(error.code).toBe('errors.policy.approval_no_catch_all');
    expect(error.params).toMatchObject({ field: 'limit', direction: 'increase' });
  });

  it('refuses a phase rule after "any" as unreachable', () => {
    const error = refusal((f) => {
      f.phase.push({ to: 'watch', steps: [['director']] });
    });
    expect(error.code).toBe('errors.policy.approval_unreachable');
    expect(error.params).toMatchObject({ field: 'phase.2', earlier: 'phase.1' });
  });

  it('refuses phase rules that leave a phase without approvers', () => {
    const error = refusal((f) => {
      f.phase.pop();
    });
    expect(error.code).toBe('errors.policy.approval_phase_uncovered');
    expect(error.params).toMatchObject({ field: 'phase', phase: 'ongoing' });
  });

  it('refuses an unknown platform as a destination', () => {
    const error = refusal((f) => {
      f.destinations = [{ platform: 'teams', channel: 'approvals' }];
    });
    expect(error.code).toBe('errors.policy.approval_destination_platform');
    expect(error.params).toMatchObject({ field: 'destinations.0.platform', platform: 'teams' });
  });

  it('refuses a Slack channel given by name: cards could not be updated', () => {
    const error = refusal((f) => {
      f.destinations = [{ platform: 'slack', channel: '#approvals' }];
    });
    expect(error.code).toBe('errors.policy.approval_destination_channel');
    expect(error.params).toMatchObject({ field: 'destinations.0.channel', channel: '#approvals' });
  });

  it('refuses the same destination twice', () => {
    const error = refusal((f) => {
      const d = { platform: 'slack', channel: 'C0APPROVALS' };
      f.destinations = [d, d];
    });
    expect(error.code).toBe('errors.policy.approval_destination_duplicate');
    expect(error.params).toMatchObject({ field: 'destinations.1' });
  });

  it('accepts a Slack destination given by channel ID', () => {
    const file = shippedFile();
    file.destinations = [{ platform: 'slack', channel: 'C0APPROVALS' }];
    expect(parseApprovalPolicy(file).destinations).toEqual([
      { platform: 'slack', channel: 'C0APPROVALS' },
    ]);
  });

  it.each([0, 10_000, -5])('refuses a reminder at %i bp: it must fall inside 1–9999', (bp) => {
    const error = refusal((f) => {
      f.expiry.reminderAtBp = bp;
    });
    expect(error.code).toBe('errors.policy.approval_reminder_range');
    expect(error.params).toMatchObject({ field: 'expiry.reminderAtBp', value: bp });
  });

  it('refuses an unknown currency in a threshold', () => {
    const error = refusal((f) => {
      f.limit[1].upTo.XYZ = 1;
    });
    expect(error.code).toBe('errors.policy.unknown_currency');
    expect(error.params).toMatchObject({ field: 'limit.1.upTo.XYZ', currency: 'XYZ' });
  });

  it('refuses an unknown calendar by naming the field', () => {
    const error = refusal((f) => {
      f.expiry.calendar = 'US';
    });
    expect(error.code).toBe('errors.policy.invalid');
    expect(error.params).toMatchObject({ field: 'expiry.calendar' });
  });
});
