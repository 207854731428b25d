import { type IsoDate, isIsoDate } from './dates.ts';
import { isCurrencyCode, minorDigits } from './money.ts';

/**
 * Pure parsers for values imported from ERPs and accounting exports (SAP, freee, MoneyForward,
 * 弥生, 用友, 金蝶, QuickBooks). They never throw on user data: a refusal comes back as an
 * i18n `code` with `params`, the same shape as a DomainError.
 */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: string;
      readonly params: Readonly<Record<string, string | number>>;
    };

export interface AmountFormat {
  /** '.' (1,234.50) or ',' (1.234,50). The other of the two is then the grouping separator. */
  readonly decimalSeparator: '.' | ',';
}

function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

function fail<T>(code: string, params: Record<string, string | number>): ParseResult<T> {
  return { ok: false, code, params };
}

// ---------------------------------------------------------------------------------------------
// Amounts

// '$' and 'ドル' name a dollar but not whose: an AUD sheet may well write '$'. Only a currency
// outside the family is a clear mismatch.
const DOLLARS = ['USD', 'CAD', 'AUD', 'NZD', 'HKD', 'SGD', 'TWD', 'MXN'];

// Currency marks seen in exports, and the currencies each may mean. '¥' is both the yen and
// the yuan sign (Japanese and Chinese systems print the same U+00A5), so it fits either.
// 元 is the yuan, but Hong Kong and Taiwan also count 港元 and 新台币 in 元.
const MARKS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['人民币', ['CNY']],
  ['人民元', ['CNY']],
  ['米ドル', ['USD']],
  ['US$', ['USD']],
  ['CN¥', ['CNY']],
  ['JP¥', ['JPY']],
  ['HK$', ['HKD']],
  ['NT$', ['TWD']],
  ['RMB', ['CNY']],
  ['ドル', DOLLARS],
  ['円', ['JPY']],
  ['元', ['CNY', 'HKD', 'TWD']],
  ['¥', ['JPY', 'CNY']],
  ['$', DOLLARS],
  ['€', ['EUR']],
  ['£', ['GBP']],
];
const MARKS_LONGEST_FIRST = [...MARKS].sort((a, b) => b[0].length - a[0].length);

// △ and ▲ are how Japanese ledgers and 決算書 print a negative figure (a minus sign is easy
// to misread next to a ruled line); U+2212 is the typographic minus some exports use.
const NEGATIVE_PREFIXES = ['-', '\u2212', '△', '▲'];
const NEGATIVE_SUFFIXES = ['-', '\u2212']; // SAP writes 1,234.50-
const CODE_PREFIX = /^[A-Z]{3}(?![A-Z])/;
const CODE_SUFFIX = /(?<![A-Z])[A-Z]{3}$/;

interface Peeled {
  readonly body: string;
  readonly negative: boolean;
  /** Currencies each mark found may mean, to compare with the row's currency. */
  readonly marks: readonly (readonly string[])[];
}

function markAt(text: string, atEnd: boolean): readonly [string, readonly string[]] | undefined {
  for (const entry of MARKS_LONGEST_FIRST) {
    if (atEnd ? text.endsWith(entry[0]) : text.startsWith(entry[0])) return entry;
  }
  const code = (atEnd ? CODE_SUFFIX : CODE_PREFIX).exec(text)?.[0];
  return code !== undefined && isCurrencyCode(code) ? [code, [code]] : undefined;
}

type Token =
  | { readonly kind: 'sign'; readonly negative: boolean }
  | { readonly kind: 'prefix' | 'suffix'; readonly currencies: readonly string[] };

/** One sign or currency mark off either end of `text`, with what remains. */
function stripOne(text: string, seen: ReadonlySet<string>): [Token, string] | undefined {
  const sign = [...NEGATIVE_PREFIXES, '+'].find((s) => text.startsWith(s));
  if (sign !== undefined) {
    return [{ kind: 'sign', negative: sign !== '+' }, text.slice(sign.length)];
  }
  const tail = NEGATIVE_SUFFIXES.find((s) => text.endsWith(s));
  if (tail !== undefined) return [{ kind: 'sign', negative: true }, text.slice(0, -tail.length)];
  if (text.startsWith('(') && text.endsWith(')')) {
    return [{ kind: 'sign', negative: true }, text.slice(1, -1)];
  }
  const before = seen.has('prefix') ? undefined : markAt(text, false);
  if (before) return [{ kind: 'prefix', currencies: before[1] }, text.slice(before[0].length)];
  const after = seen.has('suffix') ? undefined : markAt(text, true);
  if (after) return [{ kind: 'suffix', currencies: after[1] }, text.slice(0, -after[0].length)];
  return undefined;
}

/**
 * Strips sign and currency marks from both ends, in whatever order the export wrote them
 * ('-¥500', '¥-500', '(¥500)', '¥(500)', '500円-'). At most one sign and one mark per end,
 * so '--5' and '-5-' stay unparseable.
 */
function peel(text: string): Peeled | undefined {
  const seen = new Set<string>();
  const marks: (readonly string[])[] = [];
  let negative = false;
  let rest = text;
  for (let step = stripOne(rest, seen); step; step = stripOne(rest, seen)) {
    const [token, remaining] = step;
    if (seen.has(token.kind)) return undefined;
    seen.add(token.kind);
    if (token.kind === 'sign') negative = token.negative;
    else marks.push(token.currencies);
    rest = remaining.trim();
  }
  return { body: rest, negative, marks };
}

// Whole part: plain digits (ERPs often zero-pad), or strict groups of three after a first
// group of one to three, all with the same separator. Indian lakh grouping is not accepted.
// After NFKC, thin and no-break spaces are plain spaces; ’ is the Swiss typographic apostrophe.
const WHOLE = {
  '.': /^(?:\d+|\d{1,3}(?<sep>[, '’])\d{3}(?:\k<sep>\d{3})*)$/,
  ',': /^(?:\d+|\d{1,3}(?<sep>[. '’])\d{3}(?:\k<sep>\d{3})*)$/,
};

function splitDigits(body: string, separator: '.' | ','): [string, string] | undefined {
  const parts = body.split(separator);
  if (parts.length > 2) return undefined;
  const [whole = '', fraction = ''] = parts;
  if (parts.length === 2 && !/^\d+$/.test(fraction)) return undefined;
  if (whole === '' && fraction !== '') return ['0', fraction];
  return WHOLE[separator].test(whole) ? [whole.replace(/\D/g, ''), fraction] : undefined;
}

/** Parses a money amount into integer minor units of `currency`, exactly (never via a float). */
export function parseAmount(
  text: string,
  currency: string,
  format: AmountFormat = { decimalSeparator: '.' },
): ParseResult<number> {
  if (!isCurrencyCode(currency)) return fail('errors.money.unknown_currency', { currency });
  const value = text;
  // Upper-casing lets 'usd' and 'rmb' through and leaves digits and signs as they are.
  const peeled = peel(text.normalize('NFKC').trim().toUpperCase());
  const digits = peeled && splitDigits(peeled.body, format.decimalSeparator);
  if (!peeled || !digits) return fail('errors.amount.invalid', { value });
  if (peeled.marks.some((m) => !m.includes(currency))) {
    return fail('errors.amount.currency_mismatch', { value, currency });
  }
  const [whole, fraction] = digits;
  const places = minorDigits(currency);
  // '1234.00' JPY and '1.500' USD are exact; only a non-zero digit beyond the unit is lost.
  if (/[^0]/.test(fraction.slice(places))) {
    return fail('errors.amount.too_precise', { value, currency, digits: places });
  }
  const magnitude = BigInt(whole + fraction.slice(0, places).padEnd(places, '0'));
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
    return fail('errors.amount.too_large', { value, currency });
  }
  return ok(Number(peeled.negative ? -magnitude : magnitude));
}

// ---------------------------------------------------------------------------------------------
// Dates

export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'M/D/YYYY',
  'D/M/YYYY',
  'D.M.YYYY',
  'YYYY年M月D日',
] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

// Each pattern captures year, month and day under names, so the order lives in one place.
// Zero-padding is optional where people commonly drop it (2026/1/5 in Japanese sheets).
const DATE_PATTERNS: Readonly<Record<DateFormat, RegExp>> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})$/,
  'YYYY/MM/DD': /^(?<y>\d{4})\/(?<m>\d{1,2})\/(?<d>\d{1,2})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  'M/D/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'D/M/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'D.M.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
  YYYY年M月D日: /^(?<y>\d{4})\s*年\s*(?<m>\d{1,2})\s*月\s*(?<d>\d{1,2})\s*日$/,
};

/** Parses a date written in `format` (full-width digits allowed) into a calendar-checked IsoDate. */
// Printable ASCII is already in every normal form: most export cells skip normalization.
const ASCII = /^[\x20-\x7e]*$/u;

export function parseDate(text: string, format: DateFormat): ParseResult<IsoDate> {
  const plain = ASCII.test(text) ? text : text.normalize('NFKC');
  const groups = DATE_PATTERNS[format]?.exec(plain.trim())?.groups;
  const { y = '', m = '', d = '' } = groups ?? {};
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  // isIsoDate checks the calendar, so 2026-02-29 and 2026-13-01 are refused.
  return groups && isIsoDate(iso) ? ok(iso) : fail('errors.date.invalid', { value: text, format });
}

// ---------------------------------------------------------------------------------------------
// Booleans

export interface BooleanWords {
  readonly yes: readonly string[];
  readonly no: readonly string[];
}

// ○/〇 and × are the marks Japanese forms tick; 有/無 and 是/否 are the usual column values in
// Japanese and Chinese sheets.
export const DEFAULT_BOOLEAN_WORDS: BooleanWords = {
  yes: ['yes', 'y', 'true', '1', 'はい', '有', '○', '是', '〇'],
  no: ['no', 'n', 'false', '0', 'いいえ', '無', '×', '否'],
};

function fold(word: string): string {
  return word.normalize('NFKC').trim().toLowerCase();
}

/** Reads a yes/no cell. Blank is an error here: what blank means is the caller's decision. */
export function parseBoolean(
  text: string,
  words: BooleanWords = DEFAULT_BOOLEAN_WORDS,
): ParseResult<boolean> {
  const key = fold(text);
  const yes = key !== '' && words.yes.some((w) => fold(w) === key);
  const no = key !== '' && words.no.some((w) => fold(w) === key);
  // A word configured as both yes and no cannot be trusted either way.
  if (yes !== no) return ok(yes);
  return fail('errors.boolean.invalid', {
    value: text,
    yes: words.yes.join('/'),
    no: words.no.join('/'),
  });
}
