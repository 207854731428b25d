import { type ApprovalDeps, expireAndRemind } from '../app/approvals.ts';
import type { ScheduledJob } from './scheduler.ts';

const STEP_MS = 5 * 60_000;

/**
 * Approval expiry and reminders, every 5 minutes, once across replicas. Only the current
 * 5-minute slot is offered, never missed ones: each run expires and reminds everything due by
 * then, so one run after a restart catches up, and job_runs grows by 288 rows a day at most.
 */
export function approvalsJob(deps: ApprovalDeps): ScheduledJob {
  return {
    name: 'approvals',
    cron: '*/5 * * * *',
    async slots(now) {
      const step = new Date(Math.floor(now.getTime() / STEP_MS) * STEP_MS);
      // e.g. 2026-11-24T09:05Z
      return [{ key: `${step.toISOString().slice(0, 16)}Z`, late: false }];
    },
    async run() {
      await expireAndRemind(deps);
    },
  };
}
