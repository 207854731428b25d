import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADJUST_RULES, CALENDARS } from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/dates.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import {
  businessDayRule,
  type ClosingDayTerms,
  closingDate,
  contractualDueDate,
  describeBusinessDayRule,
  describeTerms,
  dueDate,
  type PaymentTerms,
  parsePaymentTerms,
  parsePaymentTermsText,
  paymentTermsSchema,
} from '../../src/domain/payment-terms.ts';

const closing = (closingDay: number, payMonthOffset: number, payDay: number): ClosingDayTerms => ({
  kind: 'closing_day',
  closingDay,
  payMonthOffset,
  payDay,
});

function domainError(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('dueDate, days after issue and end of month', () => {
  it('counts Net 30 from the invoice date', () => {
    expect(dueDate('2026-11-15', { kind: 'days_after_issue', days: 30 })).toBe('2026-12-15');
    expect(dueDate('2026-12-20', { kind: 'days_after_issue', days: 30 })).toBe('2027-01-19');
  });

  it('counts EOM + N from the end of the invoice month (月结30天)', () => {
    expect(dueDate('2026-01-05', { kind: 'end_of_month', days: 30 })).toBe('2026-03-02');
    expect(dueDate('2026-01-31', { kind: 'end_of_month', days: 30 })).toBe('2026-03-02');
    expect(dueDate('2026-02-01', { kind: 'end_of_month', days: 0 })).toBe('2026-02-28');
  });
});

describe('dueDate, 締め支払い', () => {
  it('puts an invoice dated after the closing day into the next period: 20日締め翌月10日払い', () => {
    const terms = closing(20, 1, 10);
    expect(closingDate('2026-12-21', terms)).toBe('2027-01-20');
    expect(dueDate('2026-12-21', terms)).toBe('2027-02-10');
    // On the closing day itself it is still this period's invoice.
    expect(closingDate('2026-12-20', terms)).toBe('2026-12-20');
    expect(dueDate('2026-12-20', terms)).toBe('2027-01-10');
  });

  it('月末締め翌月末払い and 月末締め翌々月末払い', () => {
    expect(dueDate('2026-01-15', closing(31, 1, 31))).toBe('2026-02-28');
    expect(dueDate('2026-01-31', closing(31, 1, 31))).toBe('2026-02-28');
    expect(dueDate('2026-02-01', closing(31, 1, 31))).toBe('2026-03-31');
    expect(dueDate('2026-01-15', closing(31, 2, 31))).toBe('2026-03-31');
    expect(dueDate('2026-11-30', closing(31, 2, 31))).toBe('2027-01-31');
  });

  it('15日締め当月末払い', () => {
    expect(dueDate('2026-04-10', closing(15, 0, 31))).toBe('2026-04-30');
    expect(dueDate('2026-04-15', closing(15, 0, 31))).toBe('2026-04-30');
    expect(dueDate('2026-04-16', closing(15, 0, 31))).toBe('2026-05-31');
  });

  it('pays on the last day of February for payDay 31, in common and leap years', () => {
    expect(dueDate('2027-01-10', closing(31, 1, 31))).toBe('2027-02-28');
    expect(dueDate('2028-01-10', closing(31, 1, 31))).toBe('2028-02-29');
    // A 30日締め closes on 2/28 in February.
    expect(closingDate('2027-02-15', closing(30, 1, 10))).toBe('2027-02-28');
  });

  it('moves a due date on a Japanese holiday as the customer agreed, defaulting to 翌営業日', () => {
    // 12/15 under 15日締め翌月1日払い is due on 2027-01-01 (元日, a Friday).
    const base = closing(15, 1, 1);
    expect(contractualDueDate('2026-12-15', base)).toBe('2027-01-01');
    expect(dueDate('2026-12-15', base)).toBe('2027-01-01');
    expect(dueDate('2026-12-15', { ...base, calendar: 'JP' })).toBe('2027-01-04');
    expect(dueDate('2026-12-15', { ...base, calendar: 'JP', adjust: 'following' })).toBe(
      '2027-01-04',
    );
    // 12/31 is a working day for companies but banks are closed 12/31–1/3.
    expect(dueDate('2026-12-15', { ...base, calendar: 'JP', adjust: 'preceding' })).toBe(
      '2026-12-31',
    );
    expect(dueDate('2026-12-15', { ...base, calendar: 'JP_BANK', adjust: 'preceding' })).toBe(
      '2026-12-30',
    );
  });

  it('moves a Chinese due date past National Day, and a Japanese month-end within its month', () => {
    expect(
      dueDate('2026-09-05', { kind: 'end_of_month', days: 1, calendar: 'CN', adjust: 'following' }),
    ).toBe('2026-10-08');
    // 2026-05-31 is a Sunday.
    expect(
      dueDate('2026-04-10', {
        ...closing(31, 1, 31),
        calendar: 'JP',
        adjust: 'modified_following',
      }),
    ).toBe('2026-05-29');
  });

  it('never moves the due date back before the invoice date', () => {
    // Net 0 issued on Saturday 2026-05-02 with 前営業日: not Friday 5/1, but Thursday 5/7.
    expect(
      dueDate('2026-05-02', {
        kind: 'days_after_issue',
        days: 0,
        calendar: 'JP',
        adjust: 'preceding',
      }),
    ).toBe('2026-05-07');
  });

  it('defaults: no calendar → as written; a calendar alone → following', () => {
    expect(businessDayRule({ kind: 'days_after_issue', days: 30 })).toEqual({
      calendar: 'NONE',
      adjust: 'none',
    });
    expect(businessDayRule({ ...closing(20, 1, 10), calendar: 'JP_BANK' })).toEqual({
      calendar: 'JP_BANK',
      adjust: 'following',
    });
  });
});

const issueDate = fc.integer({ min: 0, max: 365 * 8 }).map((n) => addDays('2024-01-01', n));
const anyTerms: fc.Arbitrary<PaymentTerms> = fc.oneof(
  fc.record({
    kind: fc.constant('days_after_issue' as const),
    days: fc.integer({ min: 0, max: 365 }),
  }),
  fc.record({ kind: fc.constant('end_of_month' as const), days: fc.integer({ min: 0, max: 365 }) }),
  fc
    .record({
      kind: fc.constant('closing_day' as const),
      closingDay: fc.integer({ min: 1, max: 31 }),
      payMonthOffset: fc.integer({ min: 0, max: 3 }),
      payDay: fc.integer({ min: 1, max: 31 }),
    })
    .filter((t) => t.payMonthOffset > 0 || t.payDay >= t.closingDay),
);

describe('dueDate properties', () => {
  it('is never before the issue date, whatever the calendar and rule', () => {
    fc.assert(
      fc.property(
        issueDate,
        anyTerms,
        fc.constantFrom(...CALENDARS),
        fc.constantFrom(...ADJUST_RULES),
        (issued, terms, calendar, adjust) => {
          expect(dueDate(issued, { ...terms, calendar, adjust }) >= issued).toBe(true);
        },
      ),
    );
  });

  it('for 締め支払い never falls earlier for a later invoice (before holiday moves)', () => {
    const closingTerms = anyTerms.filter((t) => t.kind === 'closing_day');
    fc.assert(
      fc.property(issueDate, fc.integer({ min: 0, max: 120 }), closingTerms, (issued, later, t) => {
        expect(contractualDueDate(addDays(issued, later), t) >= contractualDueDate(issued, t)).toBe(
          true,
        );
        const none = { ...t, adjust: 'none' as const };
        expect(dueDate(addDays(issued, later), none) >= dueDate(issued, none)).toBe(true);
      }),
    );
  });
});

describe('paymentTermsSchema and parsePaymentTerms', () => {
  it('accepts the shapes already stored in the database', () => {
    expect(parsePaymentTerms({ kind: 'days_after_issue', days: 30 })).toEqual({
      kind: 'days_after_issue',
      days: 30,
    });
    expect(
      parsePaymentTerms({ kind: 'closing_day', closingDay: 31, payMonthOffset: 1, payDay: 31 }),
    ).toEqual(closing(31, 1, 31));
    expect(
      paymentTermsSchema.safeParse({ ...closing(20, 1, 10), calendar: 'JP', adjust: 'preceding' })
        .success,
    ).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(
      domainError(() =>
        parsePaymentTerms({ kind: 'closing_day', closingDay: 32, payMonthOffset: 1, payDay: 10 }),
      ),
    ).toMatchObject({ code: 'errors.terms.invalid', params: { field: 'closingDay' } });
    expect(
      domainError(() => parsePaymentTerms({ kind: 'days_after_issue', days: -1 })),
    ).toMatchObject({ code: 'errors.terms.invalid', params: { field: 'days' } });
    expect(
      domainError(() => parsePaymentTerms({ kind: 'days_after_issue', days: 30, calendar: 'US' })),
    ).toMatchObject({ code: 'errors.terms.invalid', params: { field: 'calendar' } });
    expect(domainError(() => parsePaymentTerms({ kind: 'weekly' }))).toMatchObject({
      code: 'errors.terms.invalid',
    });
  });

  it('refuses 当月 terms that pay before the closing', () => {
    expect(domainError(() => parsePaymentTerms(closing(20, 0, 10)))).toMatchObject({
      code: 'errors.terms.pay_before_closing',
      params: { closingDay: 20, payDay: 10 },
    });
  });
});

describe(parsePaymentTermsText.name, () => {
  it.each([
    ['30日', { kind: 'days_after_issue', days: 30 }],
    ['Net 30', { kind: 'days_after_issue', days: 30 }],
    ['net30', { kind: 'days_after_issue', days: 30 }],
    ['NET 60 days', { kind: 'days_after_issue', days: 60 }],
    ['３０日', { kind: 'days_after_issue', days: 30 }],
    ['账期45天', { kind: 'days_after_issue', days: 45 }],
    ['EOM+30', { kind: 'end_of_month', days: 30 }],
    ['Net 30 EOM', { kind: 'end_of_month', days: 30 }],
    ['EOM', { kind: 'end_of_month', days: 0 }],
    ['月结30天', { kind: 'end_of_month', days: 30 }],
    ['月结60天', { kind: 'end_of_month', days: 60 }],
    ['月末締め翌月末払い', closing(31, 1, 31)],
    ['20日締め翌月10日払い', closing(20, 1, 10)],
    ['末締め翌々月末払い', closing(31, 2, 31)],
    ['15日締め当月末払い', closing(15, 0, 31)],
    ['20日〆翌月10日払', closing(20, 1, 10)],
    ['月末締 翌月末日払い', closing(31, 1, 31)],
    ['翌月末払い', closing(31, 1, 31)],
    ['每月20日结账，次月10日付款', closing(20, 1, 10)],
    ['每月月底结账，两个月后的月底付款', closing(31, 2, 31)],
  ])('reads %s', (text, expected) => {
    expect(parsePaymentTermsText(text)).toEqual(expected);
  });

  it('refuses what it cannot read, quoting the text', () => {
    for (const text of ['', 'COD', '2/10 net 30', '40日締め翌月10日払い', 'net 999']) {
      expect(domainError(() => parsePaymentTermsText(text))).toMatchObject({
        code: 'errors.terms.unrecognised',
        params: { value: text },
      });
    }
    expect(domainError(() => parsePaymentTermsText('20日締め当月10日払い')).code).toBe(
      'errors.terms.pay_before_closing',
    );
  });
});

describe(describeTerms.name, () => {
  it('gives a key and parameters for each kind', () => {
    expect(describeTerms({ kind: 'days_after_issue', days: 30 })).toEqual({
      key: 'terms.days_after_issue',
      params: { count: 30 },
    });
    expect(describeTerms({ kind: 'end_of_month', days: 60 })).toEqual({
      key: 'terms.end_of_month',
      params: { count: 60 },
    });
    expect(describeTerms({ kind: 'end_of_month', days: 0 }).key).toBe('terms.month_end');
    expect(describeTerms(closing(20, 1, 10))).toEqual({
      key: 'terms.closing_day.day_day',
      params: { closing: 20, pay: 10, month: 1 },
    });
    expect(describeTerms(closing(31, 2, 31)).key).toBe('terms.closing_day.end_end');
    expect(describeTerms(closing(15, 0, 31)).key).toBe('terms.closing_day.day_end');
  });

  it('describes the holiday rule only when the date is moved', () => {
    expect(describeBusinessDayRule({ kind: 'days_after_issue', days: 30 })).toBeUndefined();
    expect(
      describeBusinessDayRule({ ...closing(20, 1, 10), calendar: 'JP_BANK', adjust: 'preceding' }),
    ).toEqual({ key: 'terms.adjust.preceding', params: { calendar: 'JP_BANK' } });
  });
});
