import { minorDigits } from './money.ts';
import { type ParseResult, parseAmount } from './parse.ts';

/**
 * Amounts as collectors type them in chat, read into integer minor units of the customer's
 * currency: `500万`, `5百万`, `1.2億`, `1億2000万円`, `50万元`, `5M`, `250k`, `¥1,200,000`,
 * `$12,500.50`. The unit words are those of Japanese and Chinese business writing
 * (万 = 10⁴, 百万 = 10⁶, 千万 = 10⁷, 億/亿 = 10⁸, 千 = 10³) and of English finance (k, M/mn).
 * Plain amounts, with or without a currency mark, are read by `parseAmount`.
 *
 * Nothing is guessed: an amount that two readers could read differently is refused with
 * `errors.amount.ambiguous` — `1.200` (1.2 or 1,200?), `1,5` (European decimal comma?),
 * `12,00` — and so are zero and negative amounts (`errors.amount.not_positive`). A currency
 * mark must fit the currency (`50万元` for a yen customer is refused), as with imports.
 */

const UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['千万', 10_000_000n],
  ['百万', 1_000_000n],
  ['億', 100_000_000n],
  ['亿', 100_000_000n],
  ['萬', 10_000n],
  ['万', 10_000n],
  ['千', 1_000n],
  ['MN', 1_000_000n],
  ['M', 1_000_000n],
  ['K', 1_000n],
];

const SIGNS = /[-−△▲+()]/u;
// A number as typed: digits with optional thousands commas and an optional decimal point.
const NUMBER = /\d[\d,.]*/gu;

function fail<T>(code: string, params: Record<string, string | number>): ParseResult<T> {
  return { ok: false, code, params };
}

/** A decimal read exactly: `digits` × 10^-scale. Undefined when it is not a plain number. */
interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

type NumberRead = Decimal | 'ambiguous' | 'invalid';

/**
 * `1,200` and `1,200.5` are thousands commas (the writing of Japan, China and the English
 * world); `1.5` is a decimal point. `1.200` and `1,5` are how much of Europe writes 1200 and
 * 1.5, so they are not read either way.
 */
function readNumber(text: string): NumberRead {
  if (/^\d{1,3}\.\d{3}$/u.test(text)) return 'ambiguous';
  const [whole = '', fraction, extra] = text.split('.');
  if (extra !== undefined) return /^\d{1,3}(\.\d{3})+$/u.test(text) ? 'ambiguous' : 'invalid';
  if (fraction !== undefined && !/^\d+$/u.test(fraction)) {
    return fraction.includes(',') ? 'ambiguous' : 'invalid';
  }
  if (whole.includes(',') && !/^\d{1,3}(,\d{3})+$/u.test(whole)) {
    return /^\d+,\d{1,2}$/u.test(whole) ? 'ambiguous' : 'invalid';
  }
  const plain = whole.replaceAll(',', '') + (fraction ?? '');
  if (!/^\d+$/u.test(plain)) return 'invalid';
  return { digits: BigInt(plain), scale: fraction?.length ?? 0 };
}

function unitAt(text: string, at: number): readonly [string, bigint] | undefined {
  const rest = text.slice(at).toUpperCase();
  return UNITS.find(([word]) => rest.startsWith(word));
}

/**
 * Reads `text` (one chat token) as a positive amount of `currency` in minor units. Returns
 * the refusal as an i18n code with params, like `parseAmount`; `value` is the text as typed.
 */
export function parseChatAmount(text: string, currency: string): ParseResult<number> {
  const value = text;
  const folded = text.normalize('NFKC').trim();
  if (folded === '') return fail('errors.amount.invalid', { value });
  if (SIGNS.test(folded)) return fail('errors.amount.not_positive', { value });

  // Split into number+unit groups: 1億2000万 → (1, 億) (2000, 万). What lies before the first
  // number and after the last group is the currency mark.
  const groups: { number: string; unit: readonly [string, bigint] | undefined }[] = [];
  let cursor = -1;
  let prefix = '';
  for (const match of folded.matchAll(NUMBER)) {
    const start = match.index;
    if (cursor === -1) prefix = folded.slice(0, start);
    else if (start !== cursor) return fail('errors.amount.invalid', { value });
    const end = start + match[0].length;
    const unit = unitAt(folded, end);
    groups.push({ number: match[0], unit });
    cursor = end + (unit?.[0].length ?? 0);
    if (!unit) break;
  }
  if (groups.length === 0) return fail('errors.amount.invalid', { value });
  const suffix = folded.slice(cursor);
  if (/[\d.,]/u.test(prefix + suffix)) return fail('errors.amount.invalid', { value });

  if (groups.every((g) => g.unit === undefined)) {
    // A plain amount: the import parser reads it, marks and all.
    const [only] = groups;
    const read = readNumber(only?.number ?? '');
    if (read === 'ambiguous') return fail('errors.amount.ambiguous', { value });
    const plain = parseAmount(folded, currency);
    if (!plain.ok) return { ...plain, params: { ...plain.params, value } };
    return plain.value > 0 ? plain : fail('errors.amount.not_positive', { value });
  }

  // The marks around a unit amount must fit the currency just as around a plain one.
  const marks = parseAmount(`${prefix}0${suffix}`, currency);
  if (!marks.ok) {
    return marks.code === 'errors.amount.invalid'
      ? fail('errors.amount.invalid', { value })
      : { ...marks, params: { ...marks.params, value } };
  }

  const places = minorDigits(currency);
  const minorPerMajor = 10n ** BigInt(places);
  let total = 0n;
  let previousUnit: bigint | undefined;
  for (const group of groups) {
    const unit = group.unit?.[1] ?? 1n;
    // Units must fall: 1億2000万 is an amount, 2000万1億 is not.
    if (previousUnit !== undefined && unit >= previousUnit) {
      return fail('errors.amount.invalid', { value });
    }
    previousUnit = unit;
    const read = readNumber(group.number);
    if (read === 'ambiguous') return fail('errors.amount.ambiguous', { value });
    if (read === 'invalid') return fail('errors.amount.invalid', { value });
    const scaled = read.digits * unit * minorPerMajor;
    const divisor = 10n ** BigInt(read.scale);
    if (scaled % divisor !== 0n) {
      return fail('errors.amount.too_precise', { value, currency, digits: places });
    }
    total += scaled / divisor;
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail('errors.amount.too_large', { value, currency });
  }
  if (total === 0n) return fail('errors.amount.not_positive', { value });
  return { ok: true, value: Number(total) };
}
