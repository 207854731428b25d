import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, type DigestData } from '../../src/app/digest.ts';
import type { Locale } from '../../src/app/locales.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import type { CardContext } from '../../src/chat/customer-card.ts';
import { ageColour, digestChart, digestChartCard } from '../../src/chat/digest-chart.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const i18n = createI18n();
const ctx = (locale: Locale): CardContext => ({
  t: i18n.t(locale),
  locale,
  timeZone: TEST_TIMEZONE,
});

describe(ageColour.name, () => {
  it('runs from green for the youngest bucket to red for the oldest', () => {
    expect(ageColour(0, 5)).toBe('#2e7d32');
    expect(ageColour(4, 5)).toBe('#c62828');
    // Any number of buckets: each one redder and less green than the one before.
    const channels = (hex: string) => [1, 3].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    const seven = Array.from({ length: 7 }, (_, i) => ageColour(i, 7));
    for (const colour of seven) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    const [first, last] = [channels(seven[0] ?? ''), channels(seven[6] ?? '')];
    expect(last[0]).toBeGreaterThan(first[0] ?? 0);
    expect(last[1]).toBeLessThan(first[1] ?? 0);
  });
});

describe(digestChart.name, () => {
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
    data = await buildDigest(deps, { asOf: TEST_TODAY });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('holds the digest’s aging per currency, in minor units, with the buckets in Japanese', () => {
    const chart = digestChart(data, ctx('ja'));
    expect(chart?.categories.map((c) => c.label)).toEqual([
      '期日未到来',
      '1〜30日',
      '31〜60日',
      '61〜90日',
      '91日以上',
    ]);
    expect(chart?.categories.map((c) => c.colour)).toEqual(
      [0, 1, 2, 3, 4].map((i) => ageColour(i, 5)),
    );
    expect(chart?.series.map((s) => s.currency)).toEqual(data.positions.map((p) => p.currency));
    for (const [i, p] of data.positions.entries()) {
      const series = chart?.series[i];
      expect(series?.amountsMinor).toEqual(p.aging.buckets.map((b) => b.amountMinor));
      expect(series?.label).toContain('合計');
    }
    expect(chart?.title).toContain('売掛金エイジング');
    expect(chart?.fileName).toBe(`aging-${TEST_TODAY}.png`);
    // The alt text reads the figures out, for people who cannot see the bars.
    for (const p of data.positions) expect(chart?.altText).toContain(`${p.currency}：期日未到来`);
  });

  it('has no chart to show when nothing is open', () => {
    expect(digestChart({ ...data, positions: [] }, ctx('en'))).toBeUndefined();
    expect(digestChartCard({ ...data, positions: [] }, ctx('en'))).toBeUndefined();
    expect(digestChartCard(data, ctx('zh'))?.chart?.title).toContain('应收账款账龄分析');
  });
});
