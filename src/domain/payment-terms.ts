import { z } from 'zod';
import {
  ADJUST_RULES,
  type AdjustRule,
  adjustToBusinessDay,
  CALENDARS,
  type Calendar,
  daysInMonth,
  endOfMonth,
} from './calendar.ts';
import { addDays, type IsoDate, parseIsoDate } from './dates.ts';
import { DomainError } from './errors.ts';

/**
 * Which business-day calendar a customer's payments follow and how a due date that falls
 * on a day off is moved. Japanese contracts say either 前営業日 (preceding) or 翌営業日
 * (following) when the 支払期日 is a 金融機関休業日, so both are per customer.
 */
interface BusinessDayTerms {
  readonly calendar?: Calendar;
  readonly adjust?: AdjustRule;
}

/** Net N: due N days after the invoice date. */
export interface DaysAfterIssueTerms extends BusinessDayTerms {
  readonly kind: 'days_after_issue';
  readonly days: number;
}

/** EOM + N (月结N天): due N days after the end of the invoice's month. */
export interface EndOfMonthTerms extends BusinessDayTerms {
  readonly kind: 'end_of_month';
  readonly days: number;
}

/**
 * 締め支払い (e.g. 20日締め翌月10日払い): invoices are totalled up to the closing day
 * (締日, 31 = month end) and paid on `payDay` (31 = month end) of the month
 * `payMonthOffset` months after the closing (0 当月, 1 翌月, 2 翌々月, 3 翌々々月).
 */
export interface ClosingDayTerms extends BusinessDayTerms {
  readonly kind: 'closing_day';
  readonly closingDay: number;
  readonly payMonthOffset: number;
  readonly payDay: number;
}

export type PaymentTerms = DaysAfterIssueTerms | EndOfMonthTerms | ClosingDayTerms;

/** Day 31 in `closingDay` / `payDay` means the last day of the month (月末), whatever its length. */
export const MONTH_END = 31;

const businessDayFields = {
  calendar: z.enum(CALENDARS).optional(),
  adjust: z.enum(ADJUST_RULES).optional(),
};
const days = z.number().int().min(0).max(365);
const dayOfMonth = z.number().int().min(1).max(MONTH_END);

/**
 * Validates terms stored on a customer or imported from an ERP. Besides ranges it refuses
 * 当月払い that would pay before the closing (e.g. 20日締め当月10日払い), reported as
 * `errors.terms.pay_before_closing`. Unknown extra fields are dropped.
 */
export const paymentTermsSchema: z.ZodType<PaymentTerms> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('days_after_issue'), days, ...businessDayFields }),
  z.object({ kind: z.literal('end_of_month'), days, ...businessDayFields }),
  z
    .object({
      kind: z.literal('closing_day'),
      closingDay: dayOfMonth,
      payMonthOffset: z.number().int().min(0).max(3),
      payDay: dayOfMonth,
      ...businessDayFields,
    })
    .superRefine((terms, ctx) => {
      if (terms.payMonthOffset === 0 && terms.payDay < terms.closingDay) {
        ctx.addIssue({
          code: 'custom',
          path: ['payDay'],
          message: 'errors.terms.pay_before_closing',
          params: { closingDay: terms.closingDay, payDay: terms.payDay },
        });
      }
    }),
]);

/**
 * Parses stored or imported terms, or throws a DomainError: `errors.terms.pay_before_closing`
 * (params closingDay, payDay) or `errors.terms.invalid` naming the `field`.
 */
export function parsePaymentTerms(raw: unknown): PaymentTerms {
  const result = paymentTermsSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'custom' && issue.message === 'errors.terms.pay_before_closing') {
    const params = (issue as { params?: Record<string, string | number> }).params ?? {};
    throw new DomainError(issue.message, params);
  }
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new DomainError('errors.terms.invalid', { field }, `payment terms: ${field}`);
}

// ---------------------------------------------------------------------------------------------
// Due dates

interface YearMonth {
  readonly year: number;
  readonly month: number;
}

function yearMonth(date: IsoDate): YearMonth {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

function addMonths(ym: YearMonth, months: number): YearMonth {
  const index = ym.year * 12 + (ym.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** Day `day` of the month, or its last day when the month is shorter (31 → 28 in February). */
function dayInMonth(ym: YearMonth, day: number): IsoDate {
  const clamped = Math.min(day, daysInMonth(ym.year, ym.month));
  return `${String(ym.year).padStart(4, '0')}-${String(ym.month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}

/**
 * The 締日 an invoice belongs to: the closing day of its own month, or of the next month when
 * it is dated after the closing (an invoice of 12/21 under 20日締め closes on 1/20). A
 * closing day past the month's length (30, 31 in February) closes on the month's last day.
 */
export function closingDate(issuedOn: IsoDate, terms: ClosingDayTerms): IsoDate {
  const own = yearMonth(issuedOn);
  const thisMonth = dayInMonth(own, terms.closingDay);
  return issuedOn <= thisMonth ? thisMonth : dayInMonth(addMonths(own, 1), terms.closingDay);
}

/** The due date as the contract writes it, before any move off a holiday. */
export function contractualDueDate(issuedOn: IsoDate, terms: PaymentTerms): IsoDate {
  parseIsoDate(issuedOn);
  switch (terms.kind) {
    case 'days_after_issue':
      return addDays(issuedOn, terms.days);
    case 'end_of_month':
      return addDays(endOfMonth(issuedOn), terms.days);
    case 'closing_day': {
      const closing = yearMonth(closingDate(issuedOn, terms));
      return dayInMonth(addMonths(closing, terms.payMonthOffset), terms.payDay);
    }
  }
}

/**
 * The calendar and rule that apply. Without a calendar the due date stays as written
 * (`none`, which is how terms stored before calendars existed behave). With a calendar and
 * no rule, `following` (翌営業日 / 顺延): it is the statutory default in both countries
 * when a period ends on a day off (民法第142条; 民法典第二百零三条), while 前営業日 needs
 * the customer's agreement, so it must be set explicitly.
 */
export function businessDayRule(terms: PaymentTerms): {
  readonly calendar: Calendar;
  readonly adjust: AdjustRule;
} {
  const calendar = terms.calendar ?? 'NONE';
  const adjust = terms.adjust ?? (terms.calendar === undefined ? 'none' : 'following');
  return { calendar, adjust };
}

/**
 * The date payment is due for an invoice issued on `issuedOn`: the contractual date moved
 * to a business day per `businessDayRule`. A move backwards never goes before the invoice
 * date (Net 0 issued on a Saturday with 前営業日 is due on Monday, not on Friday).
 */
export function dueDate(issuedOn: IsoDate, terms: PaymentTerms): IsoDate {
  const contractual = contractualDueDate(issuedOn, terms);
  const { calendar, adjust } = businessDayRule(terms);
  const adjusted = adjustToBusinessDay(contractual, calendar, adjust);
  return adjusted < issuedOn ? adjustToBusinessDay(contractual, calendar, 'following') : adjusted;
}

// ---------------------------------------------------------------------------------------------
// Written forms

const MONTH_WORDS: ReadonlyArray<readonly [string, number]> = [
  ['当月', 0],
  ['同月', 0],
  ['翌月', 1],
  ['翌々月', 2],
  ['翌翌月', 2],
  ['翌〃月', 2],
  ['翌々々月', 3],
  ['翌翌翌月', 3],
  ['次月', 1],
  ['下月', 1],
  ['两个月后', 2],
  ['两个月后的', 2],
  ['三个月后', 3],
  ['三个月后的', 3],
];
const MONTH_OFFSETS = new Map(MONTH_WORDS);
const MONTH_PATTERN = [...MONTH_OFFSETS.keys()].sort((a, b) => b.length - a.length).join('|');

// 20日締め翌月10日払い, 月末締め翌月末払い, 末締め翌々月末払い, 20日〆翌月10日払, 翌月末払い (月末締め).
const JA_CLOSING = new RegExp(
  `^(?:(?:(\\d{1,2})日|月?末日?)(?:締め|締切|締|〆))?(${MONTH_PATTERN})(?:(\\d{1,2})日|末日?)(?:支払い|支払|払い|払)?$`,
);
// 每月20日结账,次月10日付款 (the Chinese display form).
const ZH_CLOSING = new RegExp(
  `^每月(?:(\\d{1,2})日|月底|月末)结账[,、]?(${MONTH_PATTERN})(?:(\\d{1,2})日|月底|月末)付款$`,
);
// 30日, 30日後, Net 30, net30, n30, 30 days, 账期30天.
const NET_DAYS =
  /^(?:net|n|账期|帐期)?-?(\d{1,3})(?:days?|d|日|天)?(?:後|后|以内)?(?:払い|払|付款)?$/;
// EOM, EOM+30, EOM 30, Net 30 EOM.
const EOM = /^(?:net-?(\d{1,3})(?:days?)?eom|eom(?:net)?\+?(?:(\d{1,3})(?:days?|d)?)?)$/;
// 月结30天, 月结60天 (month-end + N days).
const MONTHLY_STATEMENT = /^月结(\d{1,3})(?:天|日)?$/;

function closingTerms(match: RegExpExecArray): unknown {
  const [, closing, month, pay] = match;
  return {
    kind: 'closing_day',
    closingDay: closing === undefined ? MONTH_END : Number(closing),
    payMonthOffset: MONTH_OFFSETS.get(month ?? ''),
    payDay: pay === undefined ? MONTH_END : Number(pay),
  };
}

function candidate(normalised: string): unknown {
  const closing = JA_CLOSING.exec(normalised) ?? ZH_CLOSING.exec(normalised);
  if (closing) return closingTerms(closing);
  const net = NET_DAYS.exec(normalised);
  if (net) return { kind: 'days_after_issue', days: Number(net[1]) };
  const eom = EOM.exec(normalised);
  if (eom) return { kind: 'end_of_month', days: Number(eom[1] ?? eom[2] ?? 0) };
  const monthly = MONTHLY_STATEMENT.exec(normalised);
  if (monthly) return { kind: 'end_of_month', days: Number(monthly[1]) };
  return undefined;
}

/**
 * Reads payment terms as people write them in contracts, ERPs and spreadsheets: '30日',
 * 'Net 30', 'net30', 'EOM+30', 'Net 30 EOM', '月末締め翌月末払い', '20日締め翌月10日払い',
 * '末締め翌々月末払い', '20日〆翌月10日払', '翌月末払い' (月末締め implied), '月结30天'
 * (月结N天 = month end + N days), '每月20日结账，次月10日付款'. Full-width digits, spaces and
 * case do not matter. Throws `errors.terms.unrecognised` (params value) for anything else,
 * or `errors.terms.pay_before_closing` for 当月 terms paying before the closing day.
 */
export function parsePaymentTermsText(text: string): PaymentTerms {
  const normalised = text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const raw = candidate(normalised);
  const result = raw === undefined ? undefined : paymentTermsSchema.safeParse(raw);
  if (result?.success) return result.data;
  const issue = result?.error.issues[0];
  if (issue?.message === 'errors.terms.pay_before_closing') return parsePaymentTerms(raw);
  throw new DomainError('errors.terms.unrecognised', { value: text });
}

/**
 * An i18n key and parameters to show terms: `terms.days_after_issue` / `terms.end_of_month`
 * (plural, `count` = days), `terms.month_end` (EOM + 0), and for 締め支払い
 * `terms.closing_day.<day|end>_<day|end>` (closing on a day or at month end, paid on a day
 * or at month end) with `closing`, `pay` (days of month) and `month` (the offset 0–3).
 */
export function describeTerms(terms: PaymentTerms): {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
} {
  switch (terms.kind) {
    case 'days_after_issue':
      return { key: 'terms.days_after_issue', params: { count: terms.days } };
    case 'end_of_month':
      return terms.days === 0
        ? { key: 'terms.month_end', params: {} }
        : { key: 'terms.end_of_month', params: { count: terms.days } };
    case 'closing_day': {
      const closing = terms.closingDay === MONTH_END ? 'end' : 'day';
      const pay = terms.payDay === MONTH_END ? 'end' : 'day';
      return {
        key: `terms.closing_day.${closing}_${pay}`,
        params: { closing: terms.closingDay, pay: terms.payDay, month: terms.payMonthOffset },
      };
    }
  }
}

/**
 * How a due date on a day off is moved, for display next to `describeTerms`
 * (`terms.adjust.<rule>` with param `calendar`), or undefined when it is not moved.
 */
export function describeBusinessDayRule(
  terms: PaymentTerms,
): { readonly key: string; readonly params: Readonly<Record<string, string>> } | undefined {
  const { calendar, adjust } = businessDayRule(terms);
  if (adjust === 'none') return undefined;
  return { key: `terms.adjust.${adjust}`, params: { calendar } };
}
