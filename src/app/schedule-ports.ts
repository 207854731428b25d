// Scheduled jobs run once per slot however many replicas run the scheduler: a run is a row
// keyed by (job, slot), and only the replica whose claim wrote the row runs it. Times come from
// the scheduler's clock, never from the database's now(), so tests can move them.

export const JOB_RUN_STATUSES = ['running', 'done', 'failed'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

export interface JobRunClaim {
  readonly job: string;
  /** The slot within the job, e.g. `slack:C123:2026-11-24` for a channel's digest of a day. */
  readonly slot: string;
  /** The scheduler instance that claims (unique per process). */
  readonly claimedBy: string;
  /** When it claims: the start of its lease. */
  readonly at: Date;
}

/** The job_runs table as the scheduler needs it (src/db/job-run-repository.ts `createJobRunStore`). */
export interface JobRunStore {
  /** True for exactly one of any number of concurrent claims of a slot never claimed before. */
  claim(input: JobRunClaim): Promise<boolean>;
  /**
   * Takes over a slot still 'running' that was claimed before `staleBefore`: its claimer died
   * (or overran its lease) without finishing. True for exactly one of concurrent takeovers.
   */
  reclaimStale(input: JobRunClaim & { readonly staleBefore: Date }): Promise<boolean>;
  /**
   * Records how the run ended. False when the claim was no longer this one's (its lease ran
   * out and another instance took the slot over): that instance's outcome stands.
   */
  finish(
    input: JobRunClaim & {
      readonly status: Exclude<JobRunStatus, 'running'>;
      readonly finishedAt: Date;
    },
  ): Promise<boolean>;
  /** Forgets the runs claimed before `before`, whatever their status; how many went. */
  prune(before: Date): Promise<number>;
}
