import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  isCurrencyCode,
  minorDigits,
  money,
  ratioBasisPoints,
  toDecimalString,
} from '../../src/domain/money.ts';

describe(minorDigits.name, () => {
  it('knows yen have no minor unit, dollars and yuan two, dinars three', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('CNY')).toBe(2);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('refuses a code that is not ISO 4217', () => {
    expect(isCurrencyCode('XYZ')).toBe(false);
    expect(() => minorDigits('yen')).toThrow(
      expect.objectContaining({ code: 'errors.money.unknown_currency' }),
    );
  });
});

describe(money.name, () => {
  it('refuses fractions of a minor unit instead of rounding them away', () => {
    expect(() => money(10.5, 'JPY')).toThrow(
      expect.objectContaining({ code: 'errors.money.not_integer' }),
    );
    expect(() => money(2 ** 53, 'JPY')).toThrow();
  });

  it('adds amounts of one currency and refuses to mix currencies', () => {
    expect(addMoney(money(100, 'JPY'), money(250, 'JPY'))).toEqual({ minor: 350, currency: 'JPY' });
    expect(() => addMoney(money(1, 'JPY'), money(1, 'USD'))).toThrow(
      expect.objectContaining({ code: 'errors.money.currency_mismatch' }),
    );
  });
});

describe(toDecimalString.name, () => {
  it('writes minor units as an exact decimal', () => {
    expect(toDecimalString(money(123450, 'USD'))).toBe('1234.50');
    expect(toDecimalString(money(5, 'USD'))).toBe('0.05');
    expect(toDecimalString(money(-5, 'USD'))).toBe('-0.05');
    expect(toDecimalString(money(12345678, 'JPY'))).toBe('12345678');
    expect(toDecimalString(money(1234, 'KWD'))).toBe('1.234');
  });

  it('round-trips every safe integer through its decimal form', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (minor) => {
        const text = toDecimalString(money(minor, 'USD'));
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(minor));
      }),
    );
  });
});

describe(ratioBasisPoints.name, () => {
  it('gives utilisation in basis points, rounded down', () => {
    expect(ratioBasisPoints(8_000_000, 10_000_000)).toBe(8000);
    expect(ratioBasisPoints(1, 3)).toBe(3333);
    expect(ratioBasisPoints(100, 0)).toBeUndefined();
  });

  it('does not overflow on trillions of yen', () => {
    expect(ratioBasisPoints(9_000_000_000_000_000, 3_000_000_000_000_000)).toBe(30000);
  });
});
