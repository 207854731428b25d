import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/adapters/console/index.ts';
import type { AlertView } from '../../src/app/alert-ports.ts';
import { LOCALES, type Locale } from '../../src/app/locales.ts';
import { alertBatchCard, alertCard, BATCH_LINES } from '../../src/chat/alert-card.ts';
import type { CardContext } from '../../src/chat/customer-card.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { ALERT_KINDS, type AlertKind } from '../../src/domain/alerts.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';

const i18n = createI18n();
const ctx = (locale: Locale): CardContext => ({
  t: i18n.t(locale),
  locale,
  timeZone: TEST_TIMEZONE,
});

/** The facts each rule stores, as the evaluation writes them. */
const FACTS: Readonly<Record<AlertKind, Record<string, unknown>>> = {
  over_limit: {
    currency: 'JPY',
    exposureMinor: 12_000_000,
    limitMinor: 10_000_000,
    utilisationBp: 12_000,
  },
  high_utilisation: {
    currency: 'JPY',
    exposureMinor: 8_500_000,
    limitMinor: 10_000_000,
    utilisationBp: 8_500,
  },
  invoice_overdue: {
    number: 'INV-7',
    dueOn: '2026-10-24',
    line: 30,
    currency: 'JPY',
    openMinor: 400_000,
  },
  broken_promise: { promisedOn: '2026-11-20', currency: 'JPY', amountMinor: 300_000 },
  rating_drop: { from: 'B', to: 'D', grades: 2, score: 41, on: '2026-11-20' },
  credit_event: {
    kind: 'bankruptcy_filing',
    severity: 'high',
    on: '2026-11-22',
    text: '民事再生法の適用を申請',
    url: null,
  },
  review_overdue: { dueOn: '2026-11-20', daysOverdue: 3 },
  phase_proposal: {
    from: 'ongoing',
    to: 'incident',
    strategic: false,
    reasons: [{ rule: 'days_overdue', level: 'incident', params: { count: 95, threshold: 90 } }],
  },
};

const alert = (kind: AlertKind, severity: AlertView['severity'] = 'critical'): AlertView => ({
  id: 1,
  customerId: 1,
  code: 'C0001',
  legalName: 'アクメ商事株式会社',
  ownerName: 'Sato',
  kind,
  periodKey: 'k',
  severity,
  facts: FACTS[kind],
  createdAt: TEST_NOW,
});

describe(alertCard.name, () => {
  it.each(LOCALES)('words every kind of alert in %s without a raw key', (locale) => {
    for (const kind of ALERT_KINDS) {
      const out = renderCard(alertCard(alert(kind), ctx(locale)));
      expect(out).toContain('C0001');
      expect(out).not.toMatch(/\b(alerts|phase|card|approval)\.[a-z_.]+/);
    }
  });

  it('speaks the credit team’s words', () => {
    const ja = (kind: AlertKind) => renderCard(alertCard(alert(kind), ctx('ja')));
    const zh = (kind: AlertKind) => renderCard(alertCard(alert(kind), ctx('zh')));
    expect(ja('over_limit')).toContain('与信限度額超過');
    expect(ja('high_utilisation')).toContain('与信枠使用率');
    expect(ja('broken_promise')).toContain('入金約束不履行');
    expect(ja('credit_event')).toContain('倒産手続の申立て');
    expect(zh('broken_promise')).toContain('违约承诺');
    expect(zh('credit_event')).toContain('信用事件');
    expect(renderCard(alertCard(alert('over_limit'), ctx('en')))).toContain('¥12,000,000');
  });

  it('offers the phase request only on a phase proposal, as the phase command', () => {
    const proposal = alertCard(alert('phase_proposal'), ctx('en'));
    expect(proposal.actions?.map((a) => [a.label, a.command])).toEqual([
      ['Request phase change', '/credit phase C0001'],
      ['Open customer', '/credit C0001'],
    ]);
    expect(alertCard(alert('over_limit'), ctx('en')).actions?.map((a) => a.command)).toEqual([
      '/credit C0001',
    ]);
  });

  it('colours red and yellow alerts, and leaves information uncoloured', () => {
    expect(alertCard(alert('over_limit'), ctx('en')).status?.colour).toBe('red');
    expect(alertCard(alert('high_utilisation', 'warning'), ctx('en')).status?.colour).toBe(
      'yellow',
    );
    expect(alertCard(alert('review_overdue', 'info'), ctx('en')).status).toBeUndefined();
  });
});

describe(alertBatchCard.name, () => {
  it('lists the held alerts and counts the rest', () => {
    const held = Array.from({ length: BATCH_LINES + 3 }, () =>
      alert('high_utilisation', 'warning'),
    );
    const card = alertBatchCard(held, ctx('en'));
    expect(card.title).toBe(`${BATCH_LINES + 3} new alerts`);
    expect(card.lines).toHaveLength(BATCH_LINES + 1);
    expect(card.lines?.at(-1)).toBe('…and 3 more alerts.');
    expect(renderCard(alertBatchCard(held, ctx('ja')))).toContain('新着アラート 18件');
  });
});
