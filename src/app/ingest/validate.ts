import type { IsoDate } from '../../domain/dates.ts';
import { isCurrencyCode } from '../../domain/money.ts';
import {
  type BooleanWords,
  type DateFormat,
  DEFAULT_BOOLEAN_WORDS,
  type ParseResult,
  parseAmount,
  parseBoolean,
  parseDate,
} from '../../domain/parse.ts';
import { dueDate } from '../../domain/payment-terms.ts';
import { type EntityKind, FIELDS, type FieldSpec } from './entities.ts';
import type { CustomerRef } from './records.ts';

export interface ValueFormat {
  readonly dateFormat: DateFormat;
  readonly decimalSeparator: '.' | ',';
  readonly booleans: BooleanWords;
  /** For rows that name no currency and whose customer is not known yet. */
  readonly defaultCurrency?: string;
}

export const ISO_FORMAT: ValueFormat = {
  dateFormat: 'YYYY-MM-DD',
  decimalSeparator: '.',
  booleans: DEFAULT_BOOLEAN_WORDS,
};

/** A reason a value was refused; `code` is an i18n key, `field` our field name. */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export type RawItem = Readonly<Record<string, unknown>>;
export type Typed = Record<string, string | number | boolean | Date | readonly string[]>;
/** One value read from a source: the typed value, or why it was refused. */
type Read = { readonly value?: unknown; readonly error?: FieldError };

export type Validation =
  | { readonly ok: true; readonly value: Typed }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

const COUNTRY = /^[A-Z]{2}$/;
// Printable ASCII is already NFC: most export cells skip normalization.
const ASCII = /^[\x20-\x7e]*$/u;

function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  );
}

function fromResult<T>(field: string, result: ParseResult<T>): Read {
  return result.ok
    ? { value: result.value }
    : { error: { field, code: result.code, params: result.params } };
}

function fail(field: string, code: string, params: Record<string, string | number> = {}): Read {
  return { error: { field, code, params } };
}

function readText(spec: FieldSpec, raw: unknown): Read {
  const string = String(raw);
  const text = (ASCII.test(string) ? string : string.normalize('NFC')).trim();
  // A UTF-16 length within the limit is a code-point count within it too.
  if (spec.max !== undefined && text.length > spec.max && [...text].length > spec.max) {
    return fail(spec.name, 'errors.import.too_long', { max: spec.max });
  }
  return { value: text };
}

function readNumberish(
  spec: FieldSpec,
  raw: unknown,
  currency: string | undefined,
  format: ValueFormat,
) {
  if (typeof raw === 'number' && spec.type === 'amount') {
    // JSON numbers are binary floats: money must come as a decimal string or in minor units.
    return fail(spec.name, 'errors.import.amount_as_string', { field: spec.name });
  }
  const text = String(raw).trim();
  if (spec.type === 'amount') {
    if (!currency) return fail(spec.name, 'errors.import.no_currency');
    return fromResult(
      spec.name,
      parseAmount(text, currency, { decimalSeparator: format.decimalSeparator }),
    );
  }
  if (spec.type === 'probability') return readProbability(spec, text);
  if (!/^[+-]?\d+$/.test(text.normalize('NFKC').replaceAll(',', ''))) {
    return fail(spec.name, 'errors.import.not_integer', { value: text });
  }
  return { value: Number(text.normalize('NFKC').replaceAll(',', '')) };
}

/** 0.012, 1.2% and 1.2 % all mean a 1.2 % probability of default. */
function readProbability(spec: FieldSpec, text: string): Read {
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.normalize('NFKC'));
  const value = match ? Number(match[1]) / (match[2] === '%' ? 100 : 1) : Number.NaN;
  if (!(value >= 0 && value <= 1))
    return fail(spec.name, 'errors.import.not_probability', { value: text });
  return { value };
}

function readDatetime(spec: FieldSpec, raw: unknown): Read {
  const text = String(raw).trim();
  const withZone = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(withZone)
    ? Date.parse(withZone)
    : Number.NaN;
  if (Number.isNaN(ms)) return fail(spec.name, 'errors.import.not_datetime', { value: text });
  return { value: new Date(ms) };
}

/**
 * Text PostgreSQL cannot keep as sent: a NUL (refused outright, failing the whole batch)
 * or half a surrogate pair (silently stored as U+FFFD). Only JSON can carry either.
 */
function unstorable(raw: unknown): boolean {
  return (Array.isArray(raw) ? raw : [raw]).some((value) => {
    const text = String(value);
    return text.includes('\u0000') || !text.isWellFormed();
  });
}

function readValue(
  spec: FieldSpec,
  raw: unknown,
  currency: string | undefined,
  format: ValueFormat,
) {
  if (unstorable(raw)) return fail(spec.name, 'errors.import.bad_character');
  switch (spec.type) {
    case 'text':
      return readText(spec, raw);
    case 'url': {
      const text = readText(spec, raw);
      if (typeof text.value === 'string' && !/^https?:\/\//i.test(text.value)) {
        return fail(spec.name, 'errors.import.not_url', { value: text.value });
      }
      return text;
    }
    case 'list':
      if (Array.isArray(raw)) return { value: raw.map((v) => String(v).trim()).filter(Boolean) };
      return {
        value: String(raw)
          .split(/[|;；]/u)
          .map((v) => v.trim())
          .filter(Boolean),
      };
    case 'date':
      return fromResult(spec.name, parseDate(String(raw), format.dateFormat));
    case 'datetime':
      return readDatetime(spec, raw);
    case 'boolean':
      if (typeof raw === 'boolean') return { value: raw };
      return fromResult(spec.name, parseBoolean(String(raw), format.booleans));
    case 'country': {
      const code = String(raw).trim().toUpperCase();
      return COUNTRY.test(code)
        ? { value: code }
        : fail(spec.name, 'errors.import.not_country', { value: code });
    }
    case 'currency': {
      const code = String(raw).trim().toUpperCase();
      return isCurrencyCode(code)
        ? { value: code }
        : fail(spec.name, 'errors.money.unknown_currency', { currency: code });
    }
    case 'choice': {
      const value = String(raw).trim().toLowerCase();
      return spec.choices?.includes(value)
        ? { value }
        : fail(spec.name, 'errors.import.not_a_choice', {
            value,
            choices: (spec.choices ?? []).join(', '),
          });
    }
    default:
      return readNumberish(spec, raw, currency, format);
  }
}

function checkRange(spec: FieldSpec, value: unknown): FieldError | undefined {
  if (typeof value !== 'number') return undefined;
  if (spec.min !== undefined && value < spec.min) {
    return { field: spec.name, code: 'errors.import.too_small', params: { min: spec.min } };
  }
  if (spec.maxValue !== undefined && value > spec.maxValue) {
    return { field: spec.name, code: 'errors.import.too_big', params: { max: spec.maxValue } };
  }
  return undefined;
}

/** The currency amounts of a row are in: its own, its customer's, else the mapping's default. */
function currencyOf(
  kind: EntityKind,
  raw: RawItem,
  customer: CustomerRef | undefined,
  format: ValueFormat,
) {
  const own = typeof raw.currency === 'string' ? raw.currency.trim().toUpperCase() : '';
  if (own && isCurrencyCode(own)) return own;
  if (kind === 'customers') return undefined;
  return customer?.currency ?? format.defaultCurrency;
}

/**
 * Types every field of one item and reports every problem at once, so a person fixing a
 * file sees all of a row's errors in one pass.
 */
export function validateItem(
  kind: EntityKind,
  raw: RawItem,
  format: ValueFormat,
  customer: CustomerRef | undefined,
): Validation {
  const errors: FieldError[] = [];
  const value: Typed = {};
  const currency = currencyOf(kind, raw, customer, format);
  for (const spec of FIELDS[kind]) {
    // An amount may come in minor units as `amountMinor` (REST items).
    const minor = spec.type === 'amount' ? raw[`${spec.name}Minor`] : undefined;
    if (minor !== undefined && Number.isSafeInteger(minor)) {
      value[spec.name] = minor as number;
    } else if (isBlank(raw[spec.name])) {
      if (spec.required)
        errors.push({ field: spec.name, code: 'errors.import.required', params: {} });
      continue;
    } else {
      const read = readValue(spec, raw[spec.name], currency, format);
      if (read.error) {
        errors.push(read.error);
        continue;
      }
      value[spec.name] = read.value as Typed[string];
    }
    const range = checkRange(spec, value[spec.name]);
    if (range) errors.push(range);
  }
  if (currency && kind !== 'customers') value.currency = currency;
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** The due date a row gets when its source has none: by the customer's payment terms. */
export function dueDateFor(issuedOn: IsoDate, customer: CustomerRef): IsoDate {
  return dueDate(issuedOn, customer.paymentTerms);
}
