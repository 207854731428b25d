import { type Calendar, isBusinessDay } from './calendar.ts';
import { addDays, dateInTimeZone, type IsoDate, zonedInstant } from './dates.ts';

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
