import { DomainError } from './errors.ts';

/** An amount as an integer count of the currency's minor unit (yen, cents, fen). Never a float. */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const supported = new Set(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

export function isCurrencyCode(code: string): boolean {
  return CURRENCY_PATTERN.test(code) && supported.has(code);
}

/** Minor-unit digits per ISO 4217 as the runtime's ICU knows them: JPY 0, USD 2, KWD 3. */
export function minorDigits(currency: string): number {
  const cached = digitsCache.get(currency);
  if (cached !== undefined) return cached;
  if (!isCurrencyCode(currency)) {
    throw new DomainError('errors.money.unknown_currency', { currency });
  }
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  digitsCache.set(currency, digits);
  return digits;
}

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) {
    throw new DomainError('errors.money.not_integer', { value: String(minor) });
  }
  minorDigits(currency);
  return { minor, currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new DomainError('errors.money.currency_mismatch', {
      left: a.currency,
      right: b.currency,
    });
  }
  return money(a.minor + b.minor, a.currency);
}

/**
 * The minor-unit integer as an exact decimal string in major units ("1234.50" for 123450
 * cents), for formatting without ever passing through a float.
 */
export function toDecimalString(value: Money): string {
  const digits = minorDigits(value.currency);
  const negative = value.minor < 0;
  const abs = String(Math.abs(value.minor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Ratio of two amounts in basis points (1 % = 100), rounded down, computed in BigInt so
 * large yen amounts never overflow. Undefined when the denominator is not positive.
 */
export function ratioBasisPoints(numerator: number, denominator: number): number | undefined {
  if (denominator <= 0) return undefined;
  return Number((BigInt(numerator) * 10_000n) / BigInt(denominator));
}
