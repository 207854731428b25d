import { DomainError } from './errors.ts';

/** A business date, `YYYY-MM-DD`, with no time zone: the day as people in a place call it. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real calendar day in `YYYY-MM-DD`: 2026-02-29 and 2026-13-01 are refused. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0));
}

export function parseIsoDate(value: string): IsoDate {
  if (!isIsoDate(value))
    throw new DomainError('errors.date.invalid', { value, format: 'YYYY-MM-DD' });
  return value;
}

function toUtcMs(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(toUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date at `instant` in an IANA time zone: "today" for a channel in Tokyo. */
export function dateInTimeZone(instant: Date, timeZone: string): IsoDate {
  // One cached formatter per zone (below): building one costs far more than using it.
  const parts = formatter(timeZone).formatToParts(instant);
  const get = (type: string) => (parts.find((p) => p.type === type)?.value ?? '').padStart(2, '0');
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// Wall-clock time in a time zone ↔ instants, DST included (no Temporal on Node 20).

const ZONE_DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** How far the zone's wall clock is ahead of UTC at `ms` (negative west of Greenwich). */
function offsetMs(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time names, resolved like Temporal's 'compatible': a time the
 * clocks skip (02:30 on a spring-forward night) moves forward by the gap, and a time that
 * happens twice (01:30 on a fall-back night) is the earlier one. Zones change offset at most
 * once around a given day, so the offsets a day before and a day after are the only candidates.
 */
export function zonedInstant(wallMs: number, timeZone: string): number {
  const before = offsetMs(wallMs - ZONE_DAY_MS, timeZone);
  const after = offsetMs(wallMs + ZONE_DAY_MS, timeZone);
  const candidates = [wallMs - before, wallMs - after].filter(
    (ms) => ms + offsetMs(ms, timeZone) === wallMs,
  );
  if (candidates.length === 0) return wallMs - before;
  return Math.min(...candidates);
}

/** The instant local midnight starts `date` in `timeZone`. */
export function startOfDayIn(date: IsoDate, timeZone: string): number {
  return zonedInstant(Date.parse(`${date}T00:00:00Z`), timeZone);
}
