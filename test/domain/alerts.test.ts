import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brokenPromiseAlert,
  type ConditionNow,
  conditionAlerts,
  creditEventAlert,
  type ExposureFact,
  exposureConditions,
  invoiceAlert,
  type OpenCondition,
  type OpenInvoiceFact,
  proposalCondition,
  ratingDropAlert,
  reviewAlert,
} from '../../src/domain/alerts.ts';
import { addDays } from '../../src/domain/dates.ts';

const AS_OF = '2026-11-23';
const UTILISATION = { highBp: 8_000, overBp: 10_000 };
const RATING_RULES = { criticalGrades: 2, redRatings: ['E' as const] };
const EVENT_RULES = {
  criticalKinds: ['bankruptcy_filing' as const],
  criticalSeverities: ['high' as const],
};

const exposure = (exposureMinor: number, limitMinor = 1_000_000): ExposureFact => ({
  customerId: 1,
  currency: 'JPY',
  exposureMinor,
  limitMinor,
});
const kinds = (conditions: readonly ConditionNow[]) =>
  conditions.filter((c) => c.starts).map((c) => c.kind);

describe(exposureConditions.name, () => {
  it('says nothing at 79 % and warns of high utilisation from 80 %', () => {
    expect(exposureConditions(exposure(790_000), UTILISATION)).toEqual([]);
    const at80 = exposureConditions(exposure(800_000), UTILISATION);
    expect(kinds(at80)).toEqual(['high_utilisation']);
    expect(at80[0]).toMatchObject({ severity: 'warning', facts: { utilisationBp: 8_000 } });
  });

  it('is high, not over, at 100 %; over the limit above it, in red, as the card colours it', () => {
    expect(kinds(exposureConditions(exposure(1_000_000), UTILISATION))).toEqual([
      'high_utilisation',
    ]);
    const over = exposureConditions(exposure(1_000_100), UTILISATION);
    expect(kinds(over)).toEqual(['over_limit']);
    expect(over.find((c) => c.kind === 'over_limit')?.severity).toBe('critical');
    // High utilisation still holds (an episode stays open) without starting one.
    expect(over.find((c) => c.kind === 'high_utilisation')?.starts).toBe(false);
  });

  it('counts exposure with no limit granted as over the limit', () => {
    const none = exposureConditions(exposure(5_000, 0), UTILISATION);
    expect(kinds(none)).toEqual(['over_limit']);
    expect(none[0]?.facts).toMatchObject({ limitMinor: 0, utilisationBp: null });
    expect(exposureConditions(exposure(0, 0), UTILISATION)).toEqual([]);
  });
});

const invoice = (daysOverdue: number): OpenInvoiceFact => ({
  customerId: 1,
  invoiceId: 42,
  number: 'INV-42',
  dueOn: addDays(AS_OF, -daysOverdue),
  currency: 'JPY',
  openMinor: 500_000,
});

describe(invoiceAlert.name, () => {
  it('fires the 30-day line from day 30, not on day 29', () => {
    expect(invoiceAlert(invoice(29), AS_OF)).toBeUndefined();
    expect(invoiceAlert(invoice(30), AS_OF)).toMatchObject({
      kind: 'invoice_overdue',
      periodKey: '42:30',
      severity: 'warning',
      facts: { line: 30, daysOverdue: 30, number: 'INV-42' },
    });
  });

  it('keys each line apart and makes 90 days red', () => {
    expect(invoiceAlert(invoice(60), AS_OF)?.periodKey).toBe('42:60');
    expect(invoiceAlert(invoice(90), AS_OF)).toMatchObject({
      periodKey: '42:90',
      severity: 'critical',
    });
  });

  it('still fires a line crossed within the last week (a missed day), not an older one', () => {
    expect(invoiceAlert(invoice(36), AS_OF)?.periodKey).toBe('42:30');
    expect(invoiceAlert(invoice(37), AS_OF)).toBeUndefined();
    // First seen at 65 days: only the 60-day line is news.
    expect(invoiceAlert(invoice(65), AS_OF)?.periodKey).toBe('42:60');
    expect(invoiceAlert(invoice(200), AS_OF)).toBeUndefined();
  });

  it('gives one period key per line whatever day it is evaluated on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), (days) => {
        const alert = invoiceAlert(invoice(days), AS_OF);
        if (alert === undefined) return;
        const line = Number(alert.periodKey.split(':')[1]);
        expect(days - line).toBeGreaterThanOrEqual(0);
        expect(days - line).toBeLessThan(7);
      }),
    );
  });
});

describe(brokenPromiseAlert.name, () => {
  const promise = {
    customerId: 1,
    promiseId: 7,
    promisedOn: '2026-11-20',
    resolvedOn: '2026-11-21',
    currency: 'JPY',
    amountMinor: 300_000,
  };
  it('is red and keyed by the promise', () => {
    expect(brokenPromiseAlert(promise, AS_OF)).toMatchObject({
      kind: 'broken_promise',
      periodKey: '7',
      severity: 'critical',
      facts: { promisedOn: '2026-11-20', amountMinor: 300_000 },
    });
  });
  it('is old news a week after it broke', () => {
    expect(brokenPromiseAlert({ ...promise, resolvedOn: '2026-11-16' }, AS_OF)).toBeUndefined();
  });
});

describe(ratingDropAlert.name, () => {
  const rating = {
    customerId: 1,
    assessmentId: 9,
    assessedOn: '2026-11-22',
    rating: 'C' as const,
    previousRating: 'B' as const,
    score: 58,
  };
  it('warns of a one-grade drop, keyed by the assessment', () => {
    expect(ratingDropAlert(rating, AS_OF, RATING_RULES)).toMatchObject({
      periodKey: '9',
      severity: 'warning',
      facts: { from: 'B', to: 'C', grades: 1 },
    });
  });
  it('is red for two grades or a landing on E', () => {
    expect(ratingDropAlert({ ...rating, previousRating: 'A' }, AS_OF, RATING_RULES)?.severity).toBe(
      'critical',
    );
    expect(
      ratingDropAlert({ ...rating, previousRating: 'D', rating: 'E' }, AS_OF, RATING_RULES)
        ?.severity,
    ).toBe('critical');
  });
  it('says nothing of an upgrade or an unchanged rating', () => {
    expect(ratingDropAlert({ ...rating, rating: 'A' }, AS_OF, RATING_RULES)).toBeUndefined();
    expect(ratingDropAlert({ ...rating, rating: 'B' }, AS_OF, RATING_RULES)).toBeUndefined();
  });
});

describe(creditEventAlert.name, () => {
  const event = {
    customerId: 1,
    eventId: 3,
    kind: 'news' as const,
    severity: 'medium' as const,
    occurredOn: '2026-11-23',
    text: 'Supplier dispute reported',
    url: null,
  };
  it('maps the bureau severity: high red, medium warning, low info', () => {
    expect(creditEventAlert(event, AS_OF, EVENT_RULES)).toMatchObject({
      periodKey: '3',
      severity: 'warning',
    });
    expect(creditEventAlert({ ...event, severity: 'high' }, AS_OF, EVENT_RULES)?.severity).toBe(
      'critical',
    );
    expect(creditEventAlert({ ...event, severity: 'low' }, AS_OF, EVENT_RULES)?.severity).toBe(
      'info',
    );
  });
  it('makes a bankruptcy filing red whatever its severity', () => {
    const filing = { ...event, kind: 'bankruptcy_filing' as const, severity: 'low' as const };
    expect(creditEventAlert(filing, AS_OF, EVENT_RULES)?.severity).toBe('critical');
  });
});

describe(reviewAlert.name, () => {
  it('fires from the day after the review date, keyed by that date', () => {
    expect(reviewAlert({ customerId: 1, nextReviewOn: AS_OF }, AS_OF)).toBeUndefined();
    expect(reviewAlert({ customerId: 1, nextReviewOn: '2026-11-22' }, AS_OF)).toMatchObject({
      periodKey: '2026-11-22',
      severity: 'info',
      facts: { daysOverdue: 1 },
    });
  });
});

describe(conditionAlerts.name, () => {
  const over = exposureConditions(exposure(1_200_000), UTILISATION);
  const high = exposureConditions(exposure(900_000), UTILISATION);
  const open = (kind: OpenCondition['kind'], alertId: number, condition = ''): OpenCondition => ({
    alertId,
    customerId: 1,
    kind,
    condition,
  });

  it('starts an episode keyed by the day it was first seen', () => {
    const { alerts, cleared } = conditionAlerts(over, [], AS_OF);
    expect(alerts.map((a) => [a.kind, a.periodKey])).toEqual([['over_limit', AS_OF]]);
    expect(cleared).toEqual([]);
  });

  it('stays quiet while the episode is open, and clears it when the condition goes', () => {
    expect(conditionAlerts(over, [open('over_limit', 5)], '2026-11-24').alerts).toEqual([]);
    const { alerts, cleared } = conditionAlerts(high, [open('over_limit', 5)], '2026-11-25');
    expect(cleared.map((c) => c.alertId)).toEqual([5]);
    // Back under the limit at 90 %, never announced as high before: now it is.
    expect(alerts.map((a) => a.kind)).toEqual(['high_utilisation']);
  });

  it('keeps a high-utilisation episode open through a spell over the limit', () => {
    const { alerts, cleared } = conditionAlerts(over, [open('high_utilisation', 6)], AS_OF);
    expect(cleared).toEqual([]);
    expect(alerts.map((a) => a.kind)).toEqual(['over_limit']);
  });

  it('treats a different proposed move as a new proposal', () => {
    const toIncident = proposalCondition({
      customerId: 1,
      from: 'ongoing',
      to: 'incident',
      strategic: false,
      reasons: [],
    });
    const { alerts, cleared } = conditionAlerts(
      [toIncident],
      [open('phase_proposal', 8, 'ongoing>watch')],
      AS_OF,
    );
    expect(cleared.map((c) => c.alertId)).toEqual([8]);
    expect(alerts).toMatchObject([
      { kind: 'phase_proposal', periodKey: `ongoing>incident@${AS_OF}`, severity: 'critical' },
    ]);
  });
});
