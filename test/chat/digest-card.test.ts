import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCard } from '../../src/adapters/console/index.ts';
import { buildDigest, type DigestData, snapshotPortfolio } from '../../src/app/digest.ts';
import type { Locale } from '../../src/app/locales.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import type { CardContext } from '../../src/chat/customer-card.ts';
import { DIGEST_LIST_LINES, digestCard } from '../../src/chat/digest-card.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const i18n = createI18n();
const ctx = (locale: Locale): CardContext => ({
  t: i18n.t(locale),
  locale,
  timeZone: TEST_TIMEZONE,
});
const text = (data: DigestData, locale: Locale) => renderCard(digestCard(data, ctx(locale)));

describe(digestCard.name, () => {
  let database: TestDatabase;
  let data: DigestData;
  beforeAll(async () => {
    database = await createTestDatabase({ base: 'demo' });
    const deps = {
      store: database.store,
      clock: { now: () => TEST_NOW },
      timeZone: TEST_TIMEZONE,
      policy: DEFAULT_POLICY,
    };
    await snapshotPortfolio(deps, '2026-11-20');
    data = await buildDigest(deps, { asOf: TEST_TODAY });
  });
  afterAll(async () => {
    await database?.close();
  });

  it.each([
    ['en', 'Receivables by currency', 'Dunning today'],
    ['ja', '売掛金残高', '本日の督促'],
    ['zh', '应收账款余额', '今日催收'],
  ] as const)('words the digest in %s without raw keys', (locale, receivables, dunning) => {
    const out = text(data, locale);
    expect(out).toContain(receivables);
    expect(out).toContain(dunning);
    expect(out).not.toMatch(/\b(digest|aging|card|dunning)\.[a-z_]+/);
  });

  it('shows the change against the previous business day with an arrow', () => {
    const out = text(data, 'en');
    expect(out).toMatch(/[▲▼]|±0/);
    expect(out).toContain('2026');
  });

  it('says so when a section has nothing to show', () => {
    const empty: DigestData = {
      ...data,
      positions: [],
      kpis: [],
      topOverdue: [],
      strategicOverdue: [],
      approvals: { pending: 0, oldestAt: undefined },
      promisesDueToday: [],
      promisesBroken: [],
      dunning: [],
      reviews: [],
    };
    const out = text(empty, 'ja');
    for (const line of [
      '未回収の売掛金はありません。',
      '延滞中の取引先はありません。',
      '承認待ちの申請はありません。',
      '本日予定の督促はありません。',
      '今週期限の定期見直しはありません。',
    ])
      expect(out).toContain(line);
  });

  it('shows the most urgent dunning steps of a long list and counts the rest', () => {
    const step = data.dunning[0] ?? {
      code: 'C9999',
      legalName: 'Long List Ltd.',
      step: 'call' as const,
      maxDaysOverdue: 12,
      isNew: false,
    };
    const long: DigestData = {
      ...data,
      dunning: Array.from({ length: DIGEST_LIST_LINES + 25 }, (_, i) => ({
        ...step,
        code: `L${String(i).padStart(4, '0')}`,
      })),
    };
    const section = (locale: Locale) =>
      digestCard(long, ctx(locale)).sections?.find(
        (s) => s.heading === i18n.t(locale)('digest.dunning.heading'),
      );
    const lines = section('en')?.lines ?? [];
    expect(lines).toHaveLength(DIGEST_LIST_LINES + 1);
    expect(lines[0]).toMatch(/^L0000 /);
    expect(lines.at(-1)).toBe('…and 25 more.');
    expect(section('ja')?.lines?.at(-1)).toBe('ほか25件');
    expect(section('zh')?.lines?.at(-1)).toBe('另有 25 项');
  });
});
