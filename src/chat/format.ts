import type { Locale } from '../app/locales.ts';
import type { IsoDate } from '../domain/dates.ts';
import { type Money, minorDigits, toDecimalString } from '../domain/money.ts';

const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' };

// Unit words for the 万/億 forms credit people read at a glance: 1,234万円, 1,234.57万元.
const CURRENCY_WORD: Record<'ja' | 'zh', Record<string, string>> = {
  ja: { JPY: '円', CNY: '元', USD: 'ドル', EUR: 'ユーロ' },
  zh: { CNY: '元', JPY: '日元', USD: '美元', EUR: '欧元' },
};
const MYRIAD: Record<'ja' | 'zh', { unit: number; word: string }[]> = {
  ja: [
    { unit: 1e8, word: '億' },
    { unit: 1e4, word: '万' },
  ],
  zh: [
    { unit: 1e8, word: '亿' },
    { unit: 1e4, word: '万' },
  ],
};

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/**
 * ¥12,345,678 / $1,234.50 / ¥12,345,678.00 for the reader's locale. The amount is handed to
 * Intl as an exact decimal string, so no float ever touches a minor unit.
 */
export function formatMoney(value: Money, locale: Locale): string {
  const digits = minorDigits(value.currency);
  const f = numberFormat(
    `money:${locale}:${value.currency}`,
    () =>
      new Intl.NumberFormat(INTL_LOCALE[locale], {
        style: 'currency',
        currency: value.currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }),
  );
  return f.format(toDecimalString(value) as unknown as number);
}

/**
 * The short form: 1,234万円 (Japanese practice truncates below the unit: 万円未満切り捨て),
 * 1,234.57万元 (Chinese rounds to two places), ¥12.35M in English.
 */
export function formatMoneyCompact(value: Money, locale: Locale): string {
  const major = toDecimalString(value);
  if (locale === 'en') {
    const f = numberFormat(
      `compact:en:${value.currency}`,
      () =>
        new Intl.NumberFormat('en-US', {
          style: 'currency',
          currency: value.currency,
          notation: 'compact',
          maximumFractionDigits: 2,
        }),
    );
    return f.format(major as unknown as number);
  }
  const word = CURRENCY_WORD[locale][value.currency] ?? ` ${value.currency}`;
  const abs = Math.abs(Number(major));
  const step = MYRIAD[locale].find((s) => abs >= s.unit);
  if (!step) return formatMoney(value, locale);
  const scaled = scaleDecimal(major, step.unit);
  const fractionDigits = locale === 'ja' ? 0 : 2;
  const f = numberFormat(
    `compact:${locale}:${fractionDigits}`,
    () =>
      new Intl.NumberFormat(INTL_LOCALE[locale], {
        maximumFractionDigits: fractionDigits,
        roundingMode: locale === 'ja' ? 'trunc' : 'halfExpand',
      } as Intl.NumberFormatOptions),
  );
  return `${f.format(scaled as unknown as number)}${step.word}${word}`;
}

/** Moves the decimal point of an exact decimal string left by log10(unit) places. */
function scaleDecimal(decimal: string, unit: number): string {
  const places = Math.round(Math.log10(unit));
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = decimal.replace('-', '').split('.');
  const padded = whole.padStart(places + 1, '0');
  const head = padded.slice(0, -places);
  const tail = padded.slice(-places) + fraction;
  return `${negative ? '-' : ''}${head}.${tail}`;
}

/** Basis points as a percentage: 8123 → 81.2 %. */
export function formatPercent(basisPoints: number, locale: Locale): string {
  const f = numberFormat(
    `pct:${locale}`,
    () =>
      new Intl.NumberFormat(INTL_LOCALE[locale], {
        style: 'percent',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }),
  );
  return f.format(basisPoints / 10_000);
}

/** A business date as the reader writes it: 2026/11/23, 2026/11/23, Nov 23, 2026. */
// Making a DateTimeFormat costs far more than using one: a digest round formats thousands of
// dates in a handful of locales and zones.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = dateFormats.get(key);
  if (!f) {
    f = make();
    dateFormats.set(key, f);
  }
  return f;
}

export function formatDate(date: IsoDate, locale: Locale): string {
  return dateFormat(
    `date:${locale}`,
    () => new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'medium', timeZone: 'UTC' }),
  ).format(new Date(`${date}T00:00:00Z`));
}

/** An instant in the reader's time zone. */
export function formatDateTime(instant: Date, locale: Locale, timeZone: string): string {
  return dateFormat(
    `datetime:${locale}:${timeZone}`,
    () =>
      new Intl.DateTimeFormat(INTL_LOCALE[locale], {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone,
      }),
  ).format(instant);
}
