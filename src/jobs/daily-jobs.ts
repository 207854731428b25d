import { evaluatePromisesAsOf } from '../app/collections.ts';
import { type DigestDeps, snapshotPortfolio } from '../app/digest.ts';
import type { Clock, Store } from '../app/ports.ts';
import type { JobRunStore } from '../app/schedule-ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import { DAY_MS, dueSlots } from '../domain/schedule.ts';
import type { JobSlot, ScheduledJob } from './scheduler.ts';

// Jobs that run once a day at a local time of the default time zone (TZ), across replicas:
// a slot per local date, caught up once (late) if the bot was down when it fired.

function dailySlots(localTime: string, timeZone: string, now: Date): JobSlot[] {
  const schedule = { localTime, timeZone, businessDaysOnly: false, calendar: 'NONE' } as const;
  return dueSlots(schedule, now).map((s) => ({ key: s.slotKey, late: s.late }));
}

/**
 * Promises to pay whose date passed unpaid become broken (and paid ones kept), stored with an
 * audit entry, just after local midnight: before any morning digest reads them.
 */
export function promisesJob(
  deps: { readonly store: Store; readonly timeZone: string },
  localTime = '00:05',
): ScheduledJob {
  return {
    name: 'promises',
    slots: async (now) => dailySlots(localTime, deps.timeZone, now),
    async run(slot) {
      await evaluatePromisesAsOf(deps.store, slot.key as IsoDate, { timeZone: deps.timeZone });
    },
  };
}

/**
 * The day's closing portfolio snapshot, which tomorrow's digest compares with, taken whether or
 * not any channel subscribes to the digest (a digest's own run snapshots its morning too).
 */
export function snapshotJob(
  deps: Pick<DigestDeps, 'store' | 'policy' | 'clock' | 'timeZone'>,
  localTime = '23:30',
): ScheduledJob {
  return {
    name: 'portfolio-snapshot',
    slots: async (now) => dailySlots(localTime, deps.timeZone, now),
    async run(slot) {
      await snapshotPortfolio(deps, slot.key as IsoDate);
    },
  };
}

/** Never keep fewer days than the scheduler looks back, or a pruned slot would run again. */
const MIN_KEEP_DAYS = 2;

/** Forgets scheduled runs older than `keepDays` (30 by default), once a day. */
export function pruneRunsJob(
  deps: { readonly runs: JobRunStore; readonly clock: Clock; readonly timeZone: string },
  options: { readonly keepDays?: number; readonly localTime?: string } = {},
): ScheduledJob {
  const keepDays = Math.max(options.keepDays ?? 30, MIN_KEEP_DAYS);
  const localTime = options.localTime ?? '03:00';
  return {
    name: 'prune-job-runs',
    slots: async (now) => dailySlots(localTime, deps.timeZone, now),
    async run() {
      await deps.runs.prune(new Date(deps.clock.now().getTime() - keepDays * DAY_MS));
    },
  };
}
