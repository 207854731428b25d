import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChatAmount } from '../../src/domain/chat-amount.ts';

describe(parseChatAmount.name, () => {
  it.each([
    ['500万', 'JPY', 5_000_000],
    ['５００万', 'JPY', 5_000_000],
    ['5百万', 'JPY', 5_000_000],
    ['1.2億', 'JPY', 120_000_000],
    ['1億2000万円', 'JPY', 120_000_000],
    ['3千万', 'JPY', 30_000_000],
    ['¥500万', 'JPY', 5_000_000],
    ['500万円', 'JPY', 5_000_000],
    ['¥1,200,000', 'JPY', 1_200_000],
    ['1200000', 'JPY', 1_200_000],
    ['50万元', 'CNY', 50_000_000],
    ['1.5亿', 'CNY', 15_000_000_000],
    ['12.34万', 'CNY', 12_340_000],
    ['5M', 'USD', 500_000_000],
    ['2.5mn', 'USD', 250_000_000],
    ['250k', 'USD', 25_000_000],
    ['$12,500.50', 'USD', 1_250_050],
    ['US$5M', 'USD', 500_000_000],
  ])('reads %s in %s as %i minor units', (text, currency, minor) => {
    expect(parseChatAmount(text, currency)).toEqual({ ok: true, value: minor });
  });

  it.each(['1.200', '12.500', '1.200万', '1,5', '12,00', '1.234.567'])(
    'refuses %s as ambiguous rather than guess',
    (text) => {
      expect(parseChatAmount(text, 'JPY')).toMatchObject({
        ok: false,
        code: 'errors.amount.ambiguous',
        params: { value: text },
      });
    },
  );

  it('refuses a currency mark that is not the customer’s', () => {
    expect(parseChatAmount('50万元', 'JPY')).toMatchObject({
      ok: false,
      code: 'errors.amount.currency_mismatch',
      params: { value: '50万元', currency: 'JPY' },
    });
    expect(parseChatAmount('¥5M', 'USD')).toMatchObject({
      code: 'errors.amount.currency_mismatch',
    });
  });

  it('refuses zero, negative amounts, fractions below the minor unit and nonsense', () => {
    expect(parseChatAmount('0', 'JPY')).toMatchObject({ code: 'errors.amount.not_positive' });
    expect(parseChatAmount('0万', 'JPY')).toMatchObject({ code: 'errors.amount.not_positive' });
    expect(parseChatAmount('-500万', 'JPY')).toMatchObject({
      code: 'errors.amount.not_positive',
    });
    expect(parseChatAmount('1.23456万', 'JPY')).toMatchObject({
      code: 'errors.amount.too_precise',
      params: { currency: 'JPY', digits: 0 },
    });
    for (const text of ['abc', '12/5', '5B', '万', '2000万1億', '5万abc3', '.5M']) {
      expect(parseChatAmount(text, 'JPY'), text).toMatchObject({
        ok: false,
        code: 'errors.amount.invalid',
      });
    }
    expect(parseChatAmount('99999999億', 'JPY')).toMatchObject({ code: 'errors.amount.too_large' });
  });

  it('reads 万 amounts exactly, never through a float', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999_999 }), (man) => {
        expect(parseChatAmount(`${man}万`, 'JPY')).toEqual({ ok: true, value: man * 10_000 });
        const yuan = parseChatAmount(`${man / 100}万`, 'CNY');
        expect(yuan).toEqual({ ok: true, value: man * 10_000 });
      }),
    );
  });
});
