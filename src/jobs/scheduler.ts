import cron, { type ScheduledTask } from 'node-cron';
import type { Clock, Logger } from '../app/ports.ts';
import type { JobRunStore } from '../app/schedule-ports.ts';
import { isDatabaseUnavailable } from '../app/unavailable.ts';

// node-cron only says "look now"; Postgres decides who runs what. Every tick asks each job for
// its due slots (the last 24 h of them, so a tick after a restart catches up what was missed)
// and runs those it wins the claim for. Any number of replicas can tick side by side.

export interface JobSlot {
  /** Unique within the job, e.g. `slack:C123:2026-11-24`; the claim is keyed by it. */
  readonly key: string;
  /** The slot fired a while ago and is run as a catch-up (the digest says it is late). */
  readonly late: boolean;
  readonly payload?: unknown;
}

export interface ScheduledJob {
  /** Stable: runs are recorded under it. */
  readonly name: string;
  /** When to look for due slots (node-cron syntax, in UTC). Default every minute. */
  readonly cron?: string;
  /** The slots due at `now`, done ones included: the claim filters those out. */
  slots(now: Date): Promise<readonly JobSlot[]>;
  run(slot: JobSlot): Promise<void>;
}

export interface SchedulerOptions {
  readonly jobs: readonly ScheduledJob[];
  readonly store: JobRunStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Unique per process (e.g. hostname + pid): recorded as the claimer. */
  readonly instanceId: string;
  /**
   * How long a claimed run may stay unfinished before another instance takes it over, on the
   * assumption its claimer died. Longer than any run takes. Default 15 minutes.
   */
  readonly leaseMs?: number;
}

export interface SlotRun {
  readonly job: string;
  readonly slot: string;
  readonly status: 'done' | 'failed';
}

export interface Scheduler {
  /** One pass over every job; the runs this instance made. Never throws. */
  tick(): Promise<SlotRun[]>;
  /** Runs a catch-up tick at once (the promise ends with it), then each job on its cron. */
  start(): Promise<void>;
  /** Stops the cron tasks and waits for the passes in progress. */
  stop(): Promise<void>;
}

const EVERY_MINUTE = '* * * * *';
const DEFAULT_LEASE_MS = 15 * 60_000;
const MAX_ERROR_LENGTH = 500;

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { jobs, store, clock, logger, instanceId } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  for (const job of jobs) {
    if (job.cron !== undefined && !cron.validate(job.cron))
      throw new Error(`job ${job.name}: invalid cron expression ${job.cron}`);
  }
  const names = new Set(jobs.map((j) => j.name));
  if (names.size !== jobs.length) throw new Error('scheduled job names must be unique');

  const running = new Map<string, Promise<SlotRun[]>>();
  let tasks: ScheduledTask[] = [];

  /** True when this instance owns the slot now: a fresh claim or a takeover of a dead one. */
  async function claim(job: ScheduledJob, slot: JobSlot, at: Date): Promise<boolean> {
    const input = { job: job.name, slot: slot.key, claimedBy: instanceId, at };
    if (await store.claim(input)) return true;
    const staleBefore = new Date(at.getTime() - leaseMs);
    if (!(await store.reclaimStale({ ...input, staleBefore }))) return false;
    logger.warn('scheduled run taken over from an instance that did not finish it', {
      instanceId,
      job: job.name,
      slot: slot.key,
    });
    return true;
  }

  async function runSlot(job: ScheduledJob, slot: JobSlot): Promise<SlotRun | undefined> {
    const at = clock.now();
    if (!(await claim(job, slot, at))) return undefined;
    const fields = { instanceId, job: job.name, slot: slot.key, late: slot.late };
    let status: SlotRun['status'] = 'done';
    try {
      await job.run(slot);
    } catch (error) {
      status = 'failed';
      // An unreachable database is an outage to wait out, not a fault of the job.
      logger[isDatabaseUnavailable(error) ? 'warn' : 'error']('scheduled run failed', {
        ...fields,
        error: describe(error),
      });
    }
    const finish = { job: job.name, slot: slot.key, claimedBy: instanceId, at };
    if (!(await store.finish({ ...finish, status, finishedAt: clock.now() }))) {
      logger.warn('scheduled run outlived its lease; another instance took the slot over', fields);
    } else if (status === 'done') {
      logger.info('scheduled run done', fields);
    }
    return { job: job.name, slot: slot.key, status };
  }

  async function passJob(job: ScheduledJob): Promise<SlotRun[]> {
    const runs: SlotRun[] = [];
    try {
      const slots = await job.slots(clock.now());
      for (const slot of slots) {
        const run = await runSlot(job, slot);
        if (run) runs.push(run);
      }
    } catch (error) {
      // The database is away or the job could not list its slots: the next tick tries again,
      // and a claimed slot left unfinished is taken over once its lease runs out.
      logger[isDatabaseUnavailable(error) ? 'warn' : 'error']('scheduler pass failed', {
        instanceId,
        job: job.name,
        error: describe(error),
      });
    }
    return runs;
  }

  /** One pass of a job at a time per instance: a tick finding one under way joins it. */
  function tickJob(job: ScheduledJob): Promise<SlotRun[]> {
    const current = running.get(job.name);
    if (current !== undefined) return current;
    const pass = passJob(job).finally(() => running.delete(job.name));
    running.set(job.name, pass);
    return pass;
  }

  async function tick(): Promise<SlotRun[]> {
    const results = await Promise.all(jobs.map(tickJob));
    return results.flat();
  }

  return {
    tick,
    async start() {
      if (tasks.length > 0) return;
      tasks = jobs.map((job) =>
        cron.schedule(
          job.cron ?? EVERY_MINUTE,
          async () => {
            await tickJob(job);
          },
          { name: `creditops:${job.name}`, timezone: 'UTC', noOverlap: true },
        ),
      );
      await tick();
    },
    async stop() {
      const stopping = tasks;
      tasks = [];
      await Promise.all(stopping.map((task) => task.destroy()));
      await Promise.all(running.values());
    },
  };
}
