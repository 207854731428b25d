import {
  type AlertBatchSlot,
  type AlertDeps,
  alertsDue,
  dueAlertBatches,
  evaluateAlerts,
  evaluateDueAlerts,
  sendAlertBatch,
} from '../app/alerts.ts';
import type { IsoDate } from '../domain/dates.ts';
import { dueSlots } from '../domain/schedule.ts';
import type { ScheduledJob } from './scheduler.ts';

// Alerts on the scheduler, once across replicas: the customers an import touched within a
// minute, the whole portfolio once a day (time alone crosses 30/60/90 days and breaks
// promises), and each batched channel's summary on the hour.

/**
 * After imports: a slot per minute, but only in minutes when some customer is marked, so
 * job_runs grows with imports rather than with the clock.
 */
export function alertsAfterImportJob(deps: AlertDeps): ScheduledJob {
  return {
    name: 'alerts-after-import',
    slots: async (now) =>
      (await alertsDue(deps.store)) ? [{ key: now.toISOString().slice(0, 16), late: false }] : [],
    async run() {
      await evaluateDueAlerts(deps);
    },
  };
}

/**
 * The whole portfolio as of each local date of the default time zone, shortly after midnight
 * (after the promises job has stored the promises broken overnight); caught up if missed.
 */
export function alertsDailyJob(deps: AlertDeps, localTime = '00:10'): ScheduledJob {
  const schedule = {
    localTime,
    timeZone: deps.timeZone,
    businessDaysOnly: false,
    calendar: 'NONE',
  } as const;
  return {
    name: 'alerts-daily',
    slots: async (now) => dueSlots(schedule, now).map((s) => ({ key: s.slotKey, late: s.late })),
    async run(slot) {
      await evaluateAlerts(deps, { asOf: slot.key as IsoDate });
    },
  };
}

/** On the hour, each channel that takes alerts in batches gets one summary of what waited. */
export function alertBatchJob(deps: Pick<AlertDeps, 'store'>): ScheduledJob {
  return {
    name: 'alert-batches',
    cron: '0 * * * *',
    slots: async (now) =>
      (await dueAlertBatches(deps.store, now)).map((slot) => ({
        key: slot.key,
        late: false,
        payload: slot,
      })),
    async run(slot) {
      await sendAlertBatch(deps, slot.payload as AlertBatchSlot);
    },
  };
}

/** The three alert jobs, as main.ts schedules them. */
export function alertJobs(deps: AlertDeps): ScheduledJob[] {
  return [alertsAfterImportJob(deps), alertsDailyJob(deps), alertBatchJob(deps)];
}
