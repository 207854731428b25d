import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/app/ports.ts';
import type { JobRunStore } from '../../src/app/schedule-ports.ts';
import { createJobRunStore } from '../../src/db/job-run-repository.ts';
import { type DailySchedule, dueSlots } from '../../src/domain/schedule.ts';
import {
  createScheduler,
  type JobSlot,
  type ScheduledJob,
  type Scheduler,
} from '../../src/jobs/scheduler.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Claims run on the real database; the clock is injected and the job records what it was
// asked to send, standing in for the digest that would go to the outbox.

interface Channel extends DailySchedule {
  readonly id: string;
}

const tokyo: Channel = {
  id: 'slack:TOKYO',
  localTime: '09:00',
  timeZone: 'Asia/Tokyo',
  businessDaysOnly: true,
  calendar: 'JP',
};
const shanghai: Channel = {
  id: 'slack:SHANGHAI',
  localTime: '09:00',
  timeZone: 'Asia/Shanghai',
  businessDaysOnly: true,
  calendar: 'CN',
};
const newYork: Channel = {
  id: 'slack:NEWYORK',
  localTime: '09:00',
  timeZone: 'America/New_York',
  businessDaysOnly: true,
  calendar: 'NONE',
};

interface Sent {
  readonly instance: string;
  readonly slot: string;
  readonly late: boolean;
}

let database: TestDatabase;
let store: JobRunStore;
let now: Date;
let sent: Sent[];
let logLines: { message: string; [field: string]: unknown }[];
let jobName: string;
let failing: Set<string>;
const clock = { now: () => now };
const logger: Logger = {
  info: (message, fields) => logLines.push({ message, ...fields }),
  warn: (message, fields) => logLines.push({ message, ...fields }),
  error: (message, fields) => logLines.push({ message, ...fields }),
};

/** A digest job over `channels`: one slot per channel and local date. */
function digestJob(instance: string, channels: readonly Channel[]): ScheduledJob {
  return {
    name: jobName,
    async slots(at) {
      return channels.flatMap((c) =>
        dueSlots(c, at).map((s) => ({ key: `${c.id}:${s.slotKey}`, late: s.late })),
      );
    },
    async run(slot: JobSlot) {
      // Yield, as building and enqueuing a digest would, so instances interleave.
      await new Promise((resolve) => setImmediate(resolve));
      if (failing.has(slot.key)) throw new Error('digest query timed out');
      sent.push({ instance, slot: slot.key, late: slot.late });
    },
  };
}

function scheduler(instance: string, channels: readonly Channel[], leaseMs = 600_000): Scheduler {
  return createScheduler({
    jobs: [digestJob(instance, channels)],
    store,
    clock,
    logger,
    instanceId: instance,
    leaseMs,
  });
}

const slotsSent = () => sent.map((s) => s.slot).sort();

async function runRows() {
  return database.db
    .selectFrom('job_runs')
    .select(['slot', 'status', 'claimed_by'])
    .where('job', '=', jobName)
    .orderBy('slot')
    .execute();
}

let jobs = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  store = createJobRunStore(database.db);
});

afterAll(async () => {
  await database?.close();
});

beforeEach(() => {
  // Each test its own job name, so runs recorded by one do not claim slots of the next.
  jobs += 1;
  jobName = `digest-${jobs}`;
  sent = [];
  logLines = [];
  failing = new Set();
});

describe(createScheduler.name, () => {
  it('sends each channel its digest exactly once when three instances tick side by side', async () => {
    // Tuesday 2026-11-24 15:00 UTC: past 09:00 in Tokyo, Shanghai and New York.
    now = new Date('2026-11-24T15:00:00Z');
    const channels = [tokyo, shanghai, newYork];
    const instances = ['a', 'b', 'c'].map((id) => scheduler(id, channels));
    await Promise.all(instances.map((s) => s.tick()));
    await Promise.all(instances.map((s) => s.tick()));
    now = new Date('2026-11-24T15:05:00Z');
    await Promise.all(instances.map((s) => s.tick()));

    expect(slotsSent()).toEqual([
      'slack:NEWYORK:2026-11-24',
      'slack:SHANGHAI:2026-11-24',
      'slack:TOKYO:2026-11-24',
    ]);
    expect((await runRows()).map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });

  it('delivers a slot whose claimer died once, after its lease, by one instance', async () => {
    now = new Date('2026-11-24T00:01:00Z');
    // Instance a claimed Tokyo's slot and was killed before it sent anything.
    expect(
      await store.claim({
        job: jobName,
        slot: 'slack:TOKYO:2026-11-24',
        claimedBy: 'a',
        at: now,
      }),
    ).toBe(true);
    const b = scheduler('b', [tokyo], 300_000);
    const c = scheduler('c', [tokyo], 300_000);

    now = new Date('2026-11-24T00:04:00Z'); // within a's lease: nobody touches it
    await Promise.all([b.tick(), c.tick()]);
    expect(sent).toEqual([]);

    now = new Date('2026-11-24T00:07:00Z'); // the lease ran out
    await Promise.all([b.tick(), c.tick()]);
    await c.tick();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.slot).toBe('slack:TOKYO:2026-11-24');
    const rows = await runRows();
    expect(rows).toEqual([
      { slot: 'slack:TOKYO:2026-11-24', status: 'done', claimed_by: sent[0]?.instance },
    ]);
    expect(logLines.filter((l) => l.message.includes('taken over'))).toHaveLength(1);
  });

  it('records a failed run as failed, logs it, and still sends the other channels', async () => {
    now = new Date('2026-11-24T02:00:00Z');
    failing.add('slack:TOKYO:2026-11-24');
    const a = scheduler('a', [tokyo, shanghai]);
    const runs = await a.tick();
    await a.tick();

    expect(runs).toEqual([
      { job: jobName, slot: 'slack:TOKYO:2026-11-24', status: 'failed' },
      { job: jobName, slot: 'slack:SHANGHAI:2026-11-24', status: 'done' },
    ]);
    expect(slotsSent()).toEqual(['slack:SHANGHAI:2026-11-24']);
    expect((await runRows()).map((r) => [r.slot, r.status])).toEqual([
      ['slack:SHANGHAI:2026-11-24', 'done'],
      ['slack:TOKYO:2026-11-24', 'failed'],
    ]);
    const errors = logLines.filter((l) => l.message === 'scheduled run failed');
    expect(errors).toEqual([
      expect.objectContaining({
        job: jobName,
        slot: 'slack:TOKYO:2026-11-24',
        error: 'Error: digest query timed out',
      }),
    ]);
  });

  it('sends Tokyo at 00:00 UTC and Shanghai at 01:00 UTC, each at its own 09:00', async () => {
    const a = scheduler('a', [tokyo, shanghai]);
    now = new Date('2026-11-23T23:59:00Z');
    await a.tick();
    // Only the day before's Shanghai digest, caught up late (Tokyo's was 勤労感謝の日).
    expect(sent).toEqual([{ instance: 'a', slot: 'slack:SHANGHAI:2026-11-23', late: true }]);
    sent = [];
    now = new Date('2026-11-24T00:00:00Z');
    await a.tick();
    expect(slotsSent()).toEqual(['slack:TOKYO:2026-11-24']);
    now = new Date('2026-11-24T00:59:00Z');
    await a.tick();
    expect(slotsSent()).toEqual(['slack:TOKYO:2026-11-24']);
    now = new Date('2026-11-24T01:00:00Z');
    await a.tick();
    expect(slotsSent()).toEqual(['slack:SHANGHAI:2026-11-24', 'slack:TOKYO:2026-11-24']);
    expect(sent.every((s) => !s.late)).toBe(true);
  });

  it('skips the weekend and 勤労感謝の日 for a Japanese business-days channel', async () => {
    const a = scheduler('a', [tokyo]);
    // Every hour from Friday 2026-11-20 to Tuesday 2026-12-01, Tokyo time.
    for (
      let t = Date.parse('2026-11-20T00:00:00Z');
      t <= Date.parse('2026-12-01T00:00:00Z');
      t += 3_600_000
    ) {
      now = new Date(t);
      await a.tick();
    }
    // 11/21–22 weekend, 11/23 (Mon) 勤労感謝の日, 11/28–29 weekend.
    expect(slotsSent()).toEqual([
      'slack:TOKYO:2026-11-20',
      'slack:TOKYO:2026-11-24',
      'slack:TOKYO:2026-11-25',
      'slack:TOKYO:2026-11-26',
      'slack:TOKYO:2026-11-27',
      'slack:TOKYO:2026-11-30',
      'slack:TOKYO:2026-12-01',
    ]);
  });

  it('catches up a slot missed while down, once, as late, when it starts', async () => {
    // Started at 14:00 in Tokyo: the 09:00 digest was missed.
    now = new Date('2026-11-24T05:00:00Z');
    const a = scheduler('a', [tokyo]);
    await a.start();
    await a.stop();
    const b = scheduler('b', [tokyo]);
    await b.start();
    await b.stop();

    expect(sent).toEqual([{ instance: 'a', slot: 'slack:TOKYO:2026-11-24', late: true }]);
  });

  it('refuses an invalid cron expression', () => {
    expect(() =>
      createScheduler({
        jobs: [{ ...digestJob('a', [tokyo]), cron: 'every morning' }],
        store,
        clock,
        logger,
        instanceId: 'a',
      }),
    ).toThrow(/invalid cron expression/);
  });
});
