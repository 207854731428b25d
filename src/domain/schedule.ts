import { type Calendar, isBusinessDay } from './calendar.ts';
import { addDays, dateInTimeZone, type IsoDate } from './dates.ts';

// When a daily job (a channel's digest) fires: at a local wall-clock time in the channel's time
// zone, on each local date, or on business days only. A date that is not a business day has no
// slot at all, so a Saturday digest is simply the next business day's digest.

export interface DailySchedule {
  /** Local wall-clock time, `HH:MM` (24 h). */
  readonly localTime: string;
  /** IANA time zone the local time is read in, e.g. `Asia/Tokyo`. */
  readonly timeZone: string;
  readonly businessDaysOnly: boolean;
  /** The business-day calendar that `businessDaysOnly` uses. */
  readonly calendar: Calendar;
}

export interface DueSlot {
  /** The local date the slot belongs to: the same slot whenever and wherever it is computed. */
  readonly slotKey: IsoDate;
  /** The instant the slot fires. */
  readonly at: Date;
  /** More than `LATE_AFTER_MS` after `at`: a catch-up, which the digest says. */
  readonly late: boolean;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const LATE_AFTER_MS = 15 * MINUTE_MS;

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isLocalTime(value: string): boolean {
  return LOCAL_TIME.test(value);
}

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
function zonedInstant(wallMs: number, timeZone: string): number {
  const before = offsetMs(wallMs - DAY_MS, timeZone);
  const after = offsetMs(wallMs + DAY_MS, timeZone);
  const candidates = [wallMs - before, wallMs - after].filter(
    (ms) => ms + offsetMs(ms, timeZone) === wallMs,
  );
  if (candidates.length === 0) return wallMs - before;
  return Math.min(...candidates);
}

/**
 * The instant the slot of local date `date` fires, or undefined when the schedule runs on
 * business days only and `date` is not one.
 */
export function slotFor(schedule: DailySchedule, date: IsoDate): Date | undefined {
  const match = LOCAL_TIME.exec(schedule.localTime);
  if (!match) throw new RangeError(`local time must be HH:MM, got ${schedule.localTime}`);
  if (schedule.businessDaysOnly && !isBusinessDay(date, schedule.calendar)) return undefined;
  const wallMs = Date.parse(`${date}T${schedule.localTime}:00Z`);
  return new Date(zonedInstant(wallMs, schedule.timeZone));
}

/**
 * The slots that fired in (now − lookback, now], oldest first. A scheduler that missed some
 * (it was down) finds them here and runs them late; the default looks back one day.
 */
export function dueSlots(schedule: DailySchedule, now: Date, lookbackMs = DAY_MS): DueSlot[] {
  const from = now.getTime() - lookbackMs;
  // Local dates around the window: the slot of a date can fire up to a day before or after
  // that date's UTC midnight, so one extra day on each side covers every zone.
  const first = addDays(dateInTimeZone(new Date(from), schedule.timeZone), -1);
  const last = addDays(dateInTimeZone(now, schedule.timeZone), 1);
  const slots: DueSlot[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const at = slotFor(schedule, date);
    if (!at || at.getTime() <= from || at.getTime() > now.getTime()) continue;
    slots.push({ slotKey: date, at, late: now.getTime() - at.getTime() > LATE_AFTER_MS });
  }
  return slots;
}
