import type { Kysely } from 'kysely';
import type { Clock } from '../../src/app/ports.ts';
import { createJobRunStore } from '../../src/db/job-run-repository.ts';
import type { DB } from '../../src/db/schema.ts';
import {
  createScheduler,
  type ScheduledJob,
  type Scheduler,
  type SlotRun,
} from '../../src/jobs/scheduler.ts';
import { quietLogger } from './bot.ts';

// Production runs the same jobs on every replica of the bot, over one job_runs table; the
// tests of "once however many replicas" run them so, side by side in one process.

export interface ReplicaOptions {
  /** The jobs each replica runs; a function gives each replica its own. */
  readonly jobs: readonly ScheduledJob[] | ((instanceId: string) => readonly ScheduledJob[]);
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  /** One replica per instance id; two by default. */
  readonly instances?: readonly string[];
}

export function schedulerReplicas(options: ReplicaOptions): Scheduler[] {
  const { jobs, db, clock } = options;
  return (options.instances ?? ['a', 'b']).map((instanceId) =>
    createScheduler({
      jobs: typeof jobs === 'function' ? jobs(instanceId) : jobs,
      store: createJobRunStore(db),
      clock,
      logger: quietLogger,
      instanceId,
    }),
  );
}

/** One tick of every replica at once; the runs they made between them. */
export async function tickAll(replicas: readonly Scheduler[]): Promise<SlotRun[]> {
  return (await Promise.all(replicas.map((s) => s.tick()))).flat();
}
