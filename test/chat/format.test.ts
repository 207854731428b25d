import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatMoney,
  formatMoneyCompact,
  formatPercent,
} from '../../src/chat/format.ts';
import { money } from '../../src/domain/money.ts';

describe(formatMoney.name, () => {
  it('formats yen, yuan and dollars for each reader', () => {
    expect(formatMoney(money(12_345_678, 'JPY'), 'en')).toBe('¥12,345,678');
    expect(formatMoney(money(12_345_678, 'JPY'), 'ja')).toBe('￥12,345,678');
    expect(formatMoney(money(1_234_567_800, 'CNY'), 'zh')).toBe('¥12,345,678.00');
    expect(formatMoney(money(123_450, 'USD'), 'en')).toBe('$1,234.50');
  });

  it('keeps every digit of amounts beyond float precision', () => {
    expect(formatMoney(money(9_007_199_254_740_991, 'USD'), 'en')).toBe('$90,071,992,547,409.91');
  });
});

describe(formatMoneyCompact.name, () => {
  it('writes 万 and 億 the way Japanese and Chinese credit teams read them', () => {
    expect(formatMoneyCompact(money(12_345_678, 'JPY'), 'ja')).toBe('1,234万円');
    expect(formatMoneyCompact(money(1_234_567_800, 'CNY'), 'zh')).toBe('1,234.57万元');
    expect(formatMoneyCompact(money(123_456_789_012, 'JPY'), 'ja')).toBe('1,234億円');
    expect(formatMoneyCompact(money(12_345_678_900, 'CNY'), 'zh')).toBe('1.23亿元');
  });

  it('falls back to the full amount below one 万', () => {
    expect(formatMoneyCompact(money(9_999, 'JPY'), 'ja')).toBe('￥9,999');
  });

  it('uses K / M in English', () => {
    expect(formatMoneyCompact(money(12_345_678, 'JPY'), 'en')).toBe('¥12.35M');
  });
});

describe(formatPercent.name, () => {
  it('shows basis points as a percentage with one decimal', () => {
    expect(formatPercent(8123, 'en')).toBe('81.2%');
    expect(formatPercent(12_500, 'ja')).toBe('125.0%');
  });
});

describe(formatDate.name, () => {
  it('writes a business date the reader’s way without shifting it by time zone', () => {
    expect(formatDate('2026-11-23', 'ja')).toBe('2026/11/23');
    expect(formatDate('2026-11-23', 'zh')).toBe('2026年11月23日');
    expect(formatDate('2026-11-23', 'en')).toBe('Nov 23, 2026');
  });
});
