import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money, toDecimalString } from '../../src/domain/money.ts';
import {
  type AmountFormat,
  DATE_FORMATS,
  type DateFormat,
  DEFAULT_BOOLEAN_WORDS,
  parseAmount,
  parseBoolean,
  parseDate,
} from '../../src/domain/parse.ts';

const COMMA_DECIMAL = { decimalSeparator: ',' } as const;

function amountOf(text: string, currency: string, format?: AmountFormat) {
  const result = parseAmount(text, currency, format);
  return result.ok ? result.value : result.code;
}

/** 1234567.50 → 1,234,567.50 (or 1.234.567,50 when `comma` is the decimal separator). */
function grouped(decimal: string, comma = false): string {
  const [whole = '', fraction] = decimal.replace('-', '').split('.');
  const groupSep = comma ? '.' : ',';
  const withGroups = whole.replace(/\B(?=(\d{3})+$)/g, groupSep);
  const tail = fraction === undefined ? '' : `${comma ? ',' : '.'}${fraction}`;
  return `${decimal.startsWith('-') ? '-' : ''}${withGroups}${tail}`;
}

describe(parseAmount.name, () => {
  it('reads the amounts ERPs and accounting exports write', () => {
    const cases: [string, string, number][] = [
      ['1,234.50', 'USD', 123450],
      ['¥1,234', 'JPY', 1234],
      ['1234円', 'JPY', 1234],
      ['￥１，２３４', 'JPY', 1234],
      ['55.94', 'USD', 5594],
      ['CN¥12,345.60', 'CNY', 1234560],
      ['12,345.60元', 'CNY', 1234560],
      ['$1,234.5', 'USD', 123450],
      ['0', 'JPY', 0],
      ['9007199254740991', 'JPY', 9007199254740991],
      ['US$ 1,234.50', 'USD', 123450],
      ['1,234.50 USD', 'USD', 123450],
      ['RMB 100', 'CNY', 10000],
      ['100 人民币', 'CNY', 10000],
      ['1.234', 'KWD', 1234],
      ["1'234.50", 'USD', 123450],
      ['1 234 567', 'JPY', 1234567],
    ];
    for (const [text, currency, minor] of cases) expect(amountOf(text, currency), text).toBe(minor);
  });

  it('reads European decimal commas when the import says so', () => {
    expect(amountOf('1.234,50', 'EUR', COMMA_DECIMAL)).toBe(123450);
    expect(amountOf('1 234,50', 'EUR', COMMA_DECIMAL)).toBe(123450);
    expect(amountOf('1\u202f234,50 €', 'EUR', COMMA_DECIMAL)).toBe(123450);
    expect(amountOf('€1.234.567', 'EUR', COMMA_DECIMAL)).toBe(123456700);
  });

  it('understands every way accountants write a negative amount', () => {
    const cases: [string, string, number][] = [
      ['-1,234.50', 'USD', -123450],
      ['1,234.50-', 'USD', -123450],
      ['(500)', 'JPY', -500],
      ['△500', 'JPY', -500],
      ['▲1,000円', 'JPY', -1000],
      ['-¥500', 'JPY', -500],
      ['¥-500', 'JPY', -500],
      ['(¥500)', 'JPY', -500],
      ['（５００）', 'JPY', -500],
    ];
    for (const [text, currency, minor] of cases) expect(amountOf(text, currency), text).toBe(minor);
    expect(amountOf('-0', 'JPY')).toBe(0);
  });

  it('pads short fractions and accepts zeros beyond the minor unit', () => {
    expect(amountOf('1.5', 'USD')).toBe(150);
    expect(amountOf('1.50', 'USD')).toBe(150);
    expect(amountOf('1.500', 'USD')).toBe(150);
    expect(amountOf('1234.00', 'JPY')).toBe(1234);
    expect(amountOf('.5', 'USD')).toBe(50);
  });

  it('refuses to round away a fraction the currency cannot hold', () => {
    expect(parseAmount('1.5', 'JPY')).toEqual({
      ok: false,
      code: 'errors.amount.too_precise',
      params: { value: '1.5', currency: 'JPY', digits: 0 },
    });
    expect(amountOf('1.234', 'USD')).toBe('errors.amount.too_precise');
    expect(amountOf('1,5', 'JPY', COMMA_DECIMAL)).toBe('errors.amount.too_precise');
  });

  it('refuses a currency mark that names another currency', () => {
    expect(parseAmount('$100', 'JPY')).toEqual({
      ok: false,
      code: 'errors.amount.currency_mismatch',
      params: { value: '$100', currency: 'JPY' },
    });
    for (const [text, currency] of [
      ['100 USD', 'JPY'],
      ['100円', 'CNY'],
      ['€100', 'USD'],
      ['CN¥100', 'JPY'],
      ['100 EUR', 'USD'],
    ]) {
      expect(amountOf(text ?? '', currency ?? ''), text).toBe('errors.amount.currency_mismatch');
    }
  });

  it('accepts ¥ for both yen and yuan, since both print the same sign', () => {
    expect(amountOf('¥100', 'JPY')).toBe(100);
    expect(amountOf('¥100', 'CNY')).toBe(10000);
    expect(amountOf('$100', 'AUD')).toBe(10000);
  });

  it('refuses amounts that are only almost numbers', () => {
    for (const text of ['', '  ', '$', '-', '12abc', '1.2.3', '--5', '-5-', '(-5)', '1,23,4.00']) {
      expect(parseAmount(text, 'USD'), text).toEqual({
        ok: false,
        code: 'errors.amount.invalid',
        params: { value: text },
      });
    }
    for (const text of ['1,2345', '12,34', '1,234 567', '1e5', '0x10', '1.', 'Infinity', '(5']) {
      expect(amountOf(text, 'USD'), text).toBe('errors.amount.invalid');
    }
  });

  it('refuses amounts beyond what a number can hold exactly', () => {
    expect(amountOf('90071992547409920', 'JPY')).toBe('errors.amount.too_large');
    expect(amountOf('90071992547409.92', 'USD')).toBe('errors.amount.too_large');
    expect(amountOf('-90071992547409920', 'JPY')).toBe('errors.amount.too_large');
  });

  it('reports an unknown currency instead of throwing', () => {
    expect(amountOf('100', 'XYZ')).toBe('errors.money.unknown_currency');
  });

  it('reads back every amount it could have written, grouped or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('JPY', 'USD', 'CNY', 'KWD'),
        (minor, currency) => {
          const plain = toDecimalString(money(minor, currency));
          expect(amountOf(plain, currency)).toBe(minor);
          expect(amountOf(grouped(plain), currency)).toBe(minor);
          expect(amountOf(grouped(plain, true), currency, COMMA_DECIMAL)).toBe(minor);
        },
      ),
    );
  });

  it('never throws, whatever the cell holds', () => {
    const unit = fc.constantFrom(..."0123456789.,-+() '¥$円元△▲USDJPYE１，".split(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit })),
        fc.constantFrom('JPY', 'USD', 'EUR'),
        fc.constantFrom('.' as const, ',' as const),
        (text, currency, decimalSeparator) => {
          const result = parseAmount(text, currency, { decimalSeparator });
          if (result.ok) expect(Number.isSafeInteger(result.value)).toBe(true);
        },
      ),
    );
  });
});

/** Writes `iso` the way `format` does, dropping zero-padding where the format allows. */
function formatDate(iso: string, format: DateFormat): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  const [mm, dd] = [String(Number(m)), String(Number(d))];
  const written: Record<DateFormat, string> = {
    'YYYY-MM-DD': iso,
    'YYYY/MM/DD': `${y}/${m}/${d}`,
    YYYYMMDD: `${y}${m}${d}`,
    'M/D/YYYY': `${mm}/${dd}/${y}`,
    'D/M/YYYY': `${dd}/${mm}/${y}`,
    'D.M.YYYY': `${dd}.${mm}.${y}`,
    YYYY年M月D日: `${y}年${mm}月${dd}日`,
  };
  return written[format];
}

describe(parseDate.name, () => {
  it('reads each export date format in its own order', () => {
    expect(parseDate('1/2/2013', 'M/D/YYYY')).toEqual({ ok: true, value: '2013-01-02' });
    expect(parseDate('2/1/2013', 'D/M/YYYY')).toEqual({ ok: true, value: '2013-01-02' });
    expect(parseDate('20261205', 'YYYYMMDD')).toEqual({ ok: true, value: '2026-12-05' });
    expect(parseDate('2026年12月5日', 'YYYY年M月D日')).toEqual({ ok: true, value: '2026-12-05' });
    expect(parseDate('2026 年 12 月 5 日', 'YYYY年M月D日')).toEqual({
      ok: true,
      value: '2026-12-05',
    });
    expect(parseDate('05.12.2026', 'D.M.YYYY')).toEqual({ ok: true, value: '2026-12-05' });
    expect(parseDate('2026-1-5', 'YYYY-MM-DD')).toEqual({ ok: true, value: '2026-01-05' });
    expect(parseDate(' 2026-01-05 ', 'YYYY-MM-DD')).toEqual({ ok: true, value: '2026-01-05' });
  });

  it('reads full-width dates typed in Japanese and Chinese input modes', () => {
    expect(parseDate('２０２６／１２／０５', 'YYYY/MM/DD')).toEqual({
      ok: true,
      value: '2026-12-05',
    });
    expect(parseDate('２０２６年１２月５日', 'YYYY年M月D日')).toEqual({
      ok: true,
      value: '2026-12-05',
    });
  });

  it('refuses dates that are not on the calendar or not in the format', () => {
    expect(parseDate('13/1/2013', 'M/D/YYYY')).toEqual({
      ok: false,
      code: 'errors.date.invalid',
      params: { value: '13/1/2013', format: 'M/D/YYYY' },
    });
    const refused: [string, DateFormat][] = [
      ['2026-02-29', 'YYYY-MM-DD'],
      ['2026-04-31', 'YYYY-MM-DD'],
      ['2026-12-05', 'YYYY/MM/DD'],
      ['26/12/05', 'YYYY/MM/DD'],
      ['1/2/13', 'M/D/YYYY'],
      ['2026125', 'YYYYMMDD'],
      ['2026-12-05T00:00', 'YYYY-MM-DD'],
      ['', 'YYYY-MM-DD'],
      ['5.12.2026', 'D/M/YYYY'],
    ];
    for (const [text, format] of refused) {
      expect(parseDate(text, format).ok, `${text} as ${format}`).toBe(false);
    }
    expect(parseDate('2024-02-29', 'YYYY-MM-DD')).toEqual({ ok: true, value: '2024-02-29' });
  });

  it('reads back any date written in any format', () => {
    const day = fc
      .date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.constantFrom(...DATE_FORMATS), (iso, format) => {
        expect(parseDate(formatDate(iso, format), format)).toEqual({ ok: true, value: iso });
      }),
    );
  });
});

describe(parseBoolean.name, () => {
  it('reads yes and no in English, Japanese and Chinese sheets', () => {
    for (const text of ['yes', 'Y', 'TRUE', '1', '１', 'はい', '有', '○', '〇', '是', ' Yes ']) {
      expect(parseBoolean(text), text).toEqual({ ok: true, value: true });
    }
    for (const text of ['no', 'N', 'False', '0', 'いいえ', '無', '×', '否']) {
      expect(parseBoolean(text), text).toEqual({ ok: true, value: false });
    }
  });

  it('refuses blanks and unknown words, listing what it would accept', () => {
    expect(parseBoolean('maybe')).toEqual({
      ok: false,
      code: 'errors.boolean.invalid',
      params: {
        value: 'maybe',
        yes: DEFAULT_BOOLEAN_WORDS.yes.join('/'),
        no: DEFAULT_BOOLEAN_WORDS.no.join('/'),
      },
    });
    expect(parseBoolean('').ok).toBe(false);
    expect(parseBoolean('  ').ok).toBe(false);
  });

  it('uses the words an import configures', () => {
    const words = { yes: ['済', 'ＯＫ'], no: ['未'] };
    expect(parseBoolean('済', words)).toEqual({ ok: true, value: true });
    expect(parseBoolean('ok', words)).toEqual({ ok: true, value: true });
    expect(parseBoolean('未', words)).toEqual({ ok: true, value: false });
    expect(parseBoolean('yes', words).ok).toBe(false);
    expect(parseBoolean('x', { yes: ['x'], no: ['X'] }).ok).toBe(false);
  });
});
