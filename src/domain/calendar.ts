import holidayJp from '@holiday-jp/holiday_jp';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, type IsoDate } from './dates.ts';

/**
 * Business-day calendars a due date can be moved on.
 * - `JP`: Saturdays, Sundays and Japanese public holidays (国民の祝日・振替休日・国民の休日).
 * - `JP_BANK`: `JP` plus the bank year-end closure 12/31–1/3 (銀行法施行令 §5): Japanese banks
 *   do not settle transfers on those days, so a payment by bank transfer moves by bank days.
 * - `CN`: the State Council's schedule, including 调休 make-up working days (a Saturday or
 *   Sunday can be a working day, and a weekday inside a holiday block is not).
 * - `NONE`: Saturdays and Sundays only.
 */
export const CALENDARS = ['JP', 'JP_BANK', 'CN', 'NONE'] as const;
export type Calendar = (typeof CALENDARS)[number];

/**
 * How a date that is not a business day is moved (ISDA business-day conventions):
 * `following` (翌営業日 / 顺延), `preceding` (前営業日 / 提前), `modified_following` (the next
 * business day unless that falls in the next month, then the previous one) and `none`.
 */
export const ADJUST_RULES = ['following', 'preceding', 'modified_following', 'none'] as const;
export type AdjustRule = (typeof ADJUST_RULES)[number];

export function isCalendar(value: string): value is Calendar {
  return (CALENDARS as readonly string[]).includes(value);
}

interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parts(date: IsoDate): YearMonthDay {
  return {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
  };
}

/** 0 = Sunday … 6 = Saturday, computed in UTC from the date's digits: no time-zone shift. */
function weekday(date: IsoDate): number {
  const { year, month, day } = parts(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function isWeekend(date: IsoDate): boolean {
  const day = weekday(date);
  return day === 0 || day === 6;
}

/** Number of days in a month (month 1–12): 28–31. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last day of the month `date` is in (月末). */
export function endOfMonth(date: IsoDate): IsoDate {
  const { year, month } = parts(date);
  return `${date.slice(0, 8)}${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Data
//
// Both packages are read as plain tables keyed by 'YYYY-MM-DD' strings, never through their
// date functions. holiday_jp's `holidays` object is keyed that way already. chinese-days'
// functions (isWorkday, getDayDetail) parse a 'YYYY-MM-DD' string as UTC midnight but read it
// back with local-time getters, and build their tables the same way, so west of UTC (e.g. a
// laptop in New York) they answer for the wrong day; its shipped JSON table has no such problem.

const JP_HOLIDAYS = holidayJp.holidays as Readonly<Record<string, unknown>>;
const CN_HOLIDAYS: Readonly<Record<string, string>> = chineseDaysData.holidays;
const CN_WORKDAYS: Readonly<Record<string, string>> = chineseDaysData.workdays;

function yearRange(keys: readonly string[]): { readonly first: number; readonly last: number } {
  const years = keys.map((k) => Number(k.slice(0, 4)));
  return { first: Math.min(...years), last: Math.max(...years) };
}

const JP_RANGE = yearRange(Object.keys(JP_HOLIDAYS));
const CN_RANGE = yearRange(Object.keys(CN_HOLIDAYS));

// Outside the packages' data only the holidays fixed by date are known. Japan: 元日, 建国記念の日,
// 天皇誕生日, 昭和の日, 憲法記念日, みどりの日, こどもの日, 山の日, 文化の日, 勤労感謝の日 (no
// Happy-Monday days, equinoxes or 振替休日). China, as fixed since 2025 by the 全国年节及纪念日放假办法:
// 元旦, 劳动节 (5/1–5/2) and 国庆节 (10/1–10/3) (no lunar holidays, 清明 or 调休).
const JP_FIXED = new Set([
  '01-01',
  '02-11',
  '02-23',
  '04-29',
  '05-03',
  '05-04',
  '05-05',
  '08-11',
  '11-03',
  '11-23',
]);
const JP_BANK_CLOSED = new Set(['12-31', '01-01', '01-02', '01-03']);
const CN_FIXED = new Set(['01-01', '05-01', '05-02', '10-01', '10-02', '10-03']);

function covered(date: IsoDate, range: { readonly first: number; readonly last: number }): boolean {
  const year = parts(date).year;
  return year >= range.first && year <= range.last;
}

function isJapaneseHoliday(date: IsoDate): boolean {
  if (covered(date, JP_RANGE)) return JP_HOLIDAYS[date] !== undefined;
  return JP_FIXED.has(date.slice(5));
}

function isChineseWorkday(date: IsoDate): boolean {
  if (covered(date, CN_RANGE)) {
    if (CN_WORKDAYS[date] !== undefined) return true;
    if (CN_HOLIDAYS[date] !== undefined) return false;
    return !isWeekend(date);
  }
  return !isWeekend(date) && !CN_FIXED.has(date.slice(5));
}

/**
 * Whether money can be expected to move on `date` under `calendar`. Within the packages'
 * data (see `calendarCoverage`) the official holidays count; outside it, weekends and the
 * holidays fixed by date only (Japan: 元日, 建国記念の日, 天皇誕生日, 昭和の日, the Golden Week
 * days, 山の日, 文化の日, 勤労感謝の日; China: 元旦, 5/1–5/2, 10/1–10/3), so a far-future due
 * date can land on a moving holiday and a Chinese 调休 Saturday is treated as a day off.
 */
export function isBusinessDay(date: IsoDate, calendar: Calendar): boolean {
  switch (calendar) {
    case 'NONE':
      return !isWeekend(date);
    case 'JP':
      return !isWeekend(date) && !isJapaneseHoliday(date);
    case 'JP_BANK':
      return !isWeekend(date) && !isJapaneseHoliday(date) && !JP_BANK_CLOSED.has(date.slice(5));
    case 'CN':
      return isChineseWorkday(date);
  }
}

// No calendar has a run of 30 days off; a longer walk means corrupt data, not a long holiday.
const MAX_WALK = 30;

function walk(date: IsoDate, calendar: Calendar, step: 1 | -1): IsoDate {
  let current = date;
  for (let i = 0; i <= MAX_WALK; i++) {
    if (isBusinessDay(current, calendar)) return current;
    current = addDays(current, step);
  }
  throw new Error(`no business day within ${MAX_WALK} days of ${date} (${calendar})`);
}

/**
 * Moves `date` to a business day of `calendar` by `rule`; a business day is returned as is.
 * `modified_following` keeps a month-end payment in its month: the next business day unless
 * that is in the next month, then the previous business day (used for 月末払い so that a
 * 31st falling on a Saturday is paid on Friday the 30th, not in the next month).
 */
export function adjustToBusinessDay(date: IsoDate, calendar: Calendar, rule: AdjustRule): IsoDate {
  switch (rule) {
    case 'none':
      return date;
    case 'following':
      return walk(date, calendar, 1);
    case 'preceding':
      return walk(date, calendar, -1);
    case 'modified_following': {
      const next = walk(date, calendar, 1);
      return next.slice(0, 7) === date.slice(0, 7) ? next : walk(date, calendar, -1);
    }
  }
}

/**
 * The last year for which `calendar` has official holiday data; undefined for `NONE`, which
 * needs none. `CN` ends with the last year the State Council has announced (it publishes the
 * next year's schedule around November); `JP` is holiday_jp's table, which projects the
 * current 祝日法 decades ahead (the equinox days beyond next year are astronomical
 * estimates, confirmed each February by the 官報). Past the last year `isBusinessDay` falls
 * back to weekends and fixed-date holidays.
 */
export function calendarCoverage(calendar: Calendar): number | undefined {
  switch (calendar) {
    case 'NONE':
      return undefined;
    case 'JP':
    case 'JP_BANK':
      return JP_RANGE.last;
    case 'CN':
      return CN_RANGE.last;
  }
}
