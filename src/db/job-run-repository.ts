import { type Kysely, sql } from 'kysely';
import type { JobRunStore } from '../app/schedule-ports.ts';
import type { DB } from './schema.ts';

export function createJobRunStore(db: Kysely<DB>): JobRunStore {
  return {
    async claim({ job, slot, claimedBy, at }) {
      // The primary key (job, slot) admits one row: every other claim inserts nothing.
      const row = await db
        .insertInto('job_runs')
        .values({ job, slot, claimed_by: claimedBy, claimed_at: at })
        .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
        .returning('job')
        .executeTakeFirst();
      return row !== undefined;
    },

    async reclaimStale({ job, slot, claimedBy, at, staleBefore }) {
      // Concurrent takeovers queue on the row lock; the later one re-reads claimed_at, now
      // fresh, and updates nothing.
      const { rows } = await sql<{ job: string }>`
        update job_runs
           set claimed_by = ${claimedBy}, claimed_at = ${at}
         where job = ${job} and slot = ${slot}
           and status = 'running' and claimed_at < ${staleBefore}
        returning job`.execute(db);
      return rows.length > 0;
    },

    async finish({ job, slot, claimedBy, at, status, finishedAt }) {
      const result = await db
        .updateTable('job_runs')
        .set({ status, finished_at: finishedAt })
        .where('job', '=', job)
        .where('slot', '=', slot)
        .where('claimed_by', '=', claimedBy)
        .where('claimed_at', '=', at)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async prune(before) {
      const result = await db
        .deleteFrom('job_runs')
        .where('claimed_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
