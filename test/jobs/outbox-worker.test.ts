import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadLetterNotices } from '../../src/app/outbox-admin.ts';
import type { NewOutboxMessage } from '../../src/app/outbox-ports.ts';
import type { Logger } from '../../src/app/ports.ts';
import { createOutboxQueue } from '../../src/db/outbox-repository.ts';
import {
  createOutboxWorker,
  type Deliverer,
  DeliveryError,
  type OutboxDelivery,
  type OutboxWorkerOptions,
  type RenderedOutboxCard,
  retryDelayMs,
} from '../../src/jobs/outbox-worker.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/jobs/rate-limiter.ts';
import { TEST_NOW } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The platform is the boundary: a recording deliverer stands in for Slack here, answering
// as told. Everything else (claims, leases, retries) runs on the real database.

interface Delivered {
  readonly id: number;
  readonly worker: string;
  readonly channel: string;
  readonly kind: string;
  readonly text: string;
  readonly updateRefs: readonly string[];
}

type Answer = Error | { readonly ref?: string };

class RecordingDeliverer implements Deliverer<string> {
  readonly delivered: Delivered[] = [];
  readonly attempts: number[] = [];
  private readonly answers: Answer[] = [];
  private refs = 0;

  constructor(private readonly worker = 'w1') {}

  /** The next deliveries (in order) fail or answer this way; afterwards each gets a fresh ref. */
  answer(...answers: Answer[]) {
    this.answers.push(...answers);
  }

  as(worker: string): Deliverer<string> {
    return { deliver: (d, card) => this.record(worker, d, card) };
  }

  deliver(delivery: OutboxDelivery, card: RenderedOutboxCard<string>) {
    return this.record(this.worker, delivery, card);
  }

  private async record(worker: string, d: OutboxDelivery, card: RenderedOutboxCard<string>) {
    this.attempts.push(d.id);
    // Yield, as a real HTTP call would, so concurrent workers interleave.
    await new Promise((resolve) => setImmediate(resolve));
    const answer = this.answers.shift();
    if (answer instanceof Error) throw answer;
    this.delivered.push({
      id: d.id,
      worker,
      channel: d.channel,
      kind: d.kind,
      text: card.card,
      updateRefs: d.updateRefs,
    });
    this.refs += 1;
    return answer ?? { ref: `${d.channel}:ts${this.refs}` };
  }
}

let database: TestDatabase;
let now: Date;
let logLines: string[];
const clock = { now: () => now };
const logger: Logger = {
  info: (message, fields) => logLines.push(JSON.stringify({ message, ...fields })),
  warn: (message, fields) => logLines.push(JSON.stringify({ message, ...fields })),
  error: (message, fields) => logLines.push(JSON.stringify({ message, ...fields })),
};

/** The card is the payload's text, so a test sees what reached the platform. */
async function render(d: OutboxDelivery): Promise<RenderedOutboxCard<string> | undefined> {
  if (d.payload.gone) return undefined;
  return { card: String(d.payload.text ?? ''), tokens: [] };
}

function worker(deliverer: Deliverer<string>, options: Partial<OutboxWorkerOptions<string>> = {}) {
  return createOutboxWorker<string>({
    db: createOutboxQueue(database.db),
    deliverers: { slack: deliverer },
    render,
    clock,
    logger,
    workerId: 'w1',
    // Most tests hold the clock still; the rate-limit tests below pass the real limits.
    rateLimits: { slack: [] },
    // The back-off's jitter at its midpoint: three quarters of the doubling delay.
    random: () => 0.5,
    ...options,
  });
}

const post = (channel: string, text: string, extra: Partial<NewOutboxMessage> = {}) =>
  ({ platform: 'slack', channel, kind: 'post', payload: { text }, ...extra }) as const;

async function enqueue(...messages: NewOutboxMessage[]): Promise<number[]> {
  await database.store.outbox.enqueue(messages);
  const rows = await database.db
    .selectFrom('outbox')
    .select('id')
    .orderBy('id', 'desc')
    .limit(messages.length)
    .execute();
  return rows.map((r) => r.id).reverse();
}

function row(id: number) {
  return database.db
    .selectFrom('outbox')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

const seconds = (s: number) => new Date(now.getTime() + s * 1000);
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('outbox').execute();
  now = TEST_NOW;
  logLines = [];
});

describe(createOutboxWorker.name, () => {
  it('delivers a post once and records where it went', async () => {
    const [id = 0] = await enqueue(post('C1', 'hello'));
    const slack = new RecordingDeliverer();
    const w = worker(slack);

    expect(await w.runOnce()).toBe(1);
    expect(await w.runOnce()).toBe(0);

    expect(slack.delivered).toEqual([
      { id, worker: 'w1', channel: 'C1', kind: 'post', text: 'hello', updateRefs: [] },
    ]);
    expect(await row(id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      platform_ref: 'C1:ts1',
      sent_at: TEST_NOW,
      locked_until: null,
    });
  });

  it('has two workers deliver 30 messages between them, each exactly once and in channel order', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => post(`C${i % 6}`, `m${i}`));
    const ids = await enqueue(...messages);
    const slack = new RecordingDeliverer();
    const a = worker(slack.as('a'), { workerId: 'a', batchSize: 4 });
    const b = worker(slack.as('b'), { workerId: 'b', batchSize: 4 });

    const [byA, byB] = await Promise.all([a.runOnce(), b.runOnce()]);

    expect(byA + byB).toBe(30);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
    expect(slack.attempts).toHaveLength(30);
    expect(slack.delivered.map((d) => d.id).sort((x, y) => x - y)).toEqual(ids);
    for (let c = 0; c < 6; c++) {
      const inChannel = slack.delivered.filter((d) => d.channel === `C${c}`).map((d) => d.id);
      expect(inChannel).toEqual([...inChannel].sort((x, y) => x - y));
    }
    const statuses = await database.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .execute();
    expect(statuses.every((s) => s.status === 'sent' && s.attempts === 1)).toBe(true);
  });

  it('holds a channel’s later messages while an earlier one waits for a retry', async () => {
    const [first = 0, second = 0, other = 0] = await enqueue(
      post('C1', 'first'),
      post('C1', 'second'),
      post('C2', 'elsewhere'),
    );
    const slack = new RecordingDeliverer();
    slack.answer(new DeliveryError('slack chat.postMessage: HTTP 503'));
    const w = worker(slack);

    expect(await w.runOnce()).toBe(1);
    expect(slack.delivered.map((d) => d.id)).toEqual([other]);
    expect(await row(second)).toMatchObject({ status: 'pending', attempts: 0 });

    advance(2000);
    expect(await w.runOnce()).toBe(2);
    expect(slack.delivered.map((d) => d.id)).toEqual([other, first, second]);
  });

  it('lets a dead message no longer hold its channel', async () => {
    const [first = 0, second = 0] = await enqueue(post('C1', 'first'), post('C1', 'second'));
    const slack = new RecordingDeliverer();
    slack.answer(new DeliveryError('slack chat.postMessage: not_in_channel', { permanent: true }));

    expect(await worker(slack).runOnce()).toBe(1);

    expect(await row(first)).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'slack chat.postMessage: not_in_channel',
    });
    expect(slack.delivered.map((d) => d.id)).toEqual([second]);
  });

  it('waits as long as the platform asks before trying again', async () => {
    const [id = 0] = await enqueue(post('C1', 'hello'));
    const slack = new RecordingDeliverer();
    slack.answer(
      new DeliveryError('slack chat.postMessage: rate limited', { retryAfterMs: 60_000 }),
    );
    const w = worker(slack);

    await w.runOnce();
    expect(await row(id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      next_attempt_at: seconds(60),
      locked_until: null,
      last_error: 'slack chat.postMessage: rate limited',
    });

    advance(59_999);
    expect(await w.runOnce()).toBe(0);
    advance(1);
    expect(await w.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('backs off 2, 4, 8… seconds up to ten minutes, then gives up after the last attempt', async () => {
    const [id = 0] = await enqueue(post('C1', 'hello'));
    const slack = new RecordingDeliverer();
    // The top of the jitter: the whole doubling delay.
    const w = worker(slack, { maxAttempts: 11, random: () => 1 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      slack.answer(new DeliveryError('slack chat.postMessage: HTTP 500'));
      const before = now.getTime();
      expect(await w.runOnce()).toBe(0);
      const r = await row(id);
      expect(r.attempts).toBe(attempt);
      if (r.status === 'dead') break;
      delays.push((r.next_attempt_at.getTime() - before) / 1000);
      now = r.next_attempt_at;
    }

    expect(delays).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 600]);
    expect(await row(id)).toMatchObject({
      status: 'dead',
      attempts: 11,
      last_error: 'slack chat.postMessage: HTTP 500',
    });
    expect(slack.delivered).toEqual([]);
  });

  it('keeps tokens and message text out of the stored error and the logs', async () => {
    const [id = 0] = await enqueue(post('C1', 'Invoice 4711 for 山田商事 is overdue'));
    const slack = new RecordingDeliverer();
    slack.answer(
      new Error('invalid_auth: token xoxb-1234-5678-abcdefABCDEF rejected (Bearer xoxb-1234-5678)'),
    );

    await worker(slack, { maxAttempts: 1 }).runOnce();

    const r = await row(id);
    expect(r).toMatchObject({ status: 'dead', attempts: 1 });
    expect(r.last_error).toBe('Error: invalid_auth: token [redacted] rejected ([redacted])');
    const logs = logLines.join('\n');
    expect(logs).toContain('outbox message dead');
    expect(logs).not.toMatch(/xoxb|4711|山田/);
  });

  it('updates every sent post of the same subject in the same channel, after the post', async () => {
    const subject = { subjectType: 'approval_request', subjectId: '7' };
    const [cardC1 = 0, cardC2 = 0, otherSubject = 0, update = 0] = await enqueue(
      post('C1', 'card', subject),
      post('C2', 'card', subject),
      post('C1', 'another card', { subjectType: 'approval_request', subjectId: '8' }),
      {
        platform: 'slack',
        channel: 'C1',
        kind: 'update',
        payload: { text: 'decided' },
        ...subject,
      },
    );
    const slack = new RecordingDeliverer();

    expect(await worker(slack).runOnce()).toBe(4);

    const refOf = async (id: number) => (await row(id)).platform_ref;
    expect(slack.delivered.find((d) => d.id === update)).toMatchObject({
      kind: 'update',
      channel: 'C1',
      text: 'decided',
      updateRefs: [await refOf(cardC1)],
    });
    const order = slack.delivered.map((d) => d.id);
    expect(order.indexOf(update)).toBeGreaterThan(order.indexOf(otherSubject));
    expect(await refOf(cardC2)).not.toBe(await refOf(cardC1));
  });

  it('gives up an update whose post never went out', async () => {
    const subject = { subjectType: 'approval_request', subjectId: '9' };
    const [, update = 0] = await enqueue(post('C1', 'card', subject), {
      platform: 'slack',
      channel: 'C1',
      kind: 'update',
      payload: { text: 'decided' },
      ...subject,
    });
    const slack = new RecordingDeliverer();
    slack.answer(
      new DeliveryError('slack chat.postMessage: channel_not_found', { permanent: true }),
    );

    await worker(slack).runOnce();

    expect(await row(update)).toMatchObject({
      status: 'dead',
      last_error: 'no sent post to update',
    });
    expect(slack.delivered).toEqual([]);
  });

  it('marks a message with nothing left to say as sent without delivering it', async () => {
    const [id = 0] = await enqueue({ ...post('C1', 'old'), payload: { gone: true } });
    const slack = new RecordingDeliverer();

    expect(await worker(slack).runOnce()).toBe(0);

    expect(slack.attempts).toEqual([]);
    expect(await row(id)).toMatchObject({ status: 'sent', platform_ref: null, attempts: 1 });
  });

  it('gives up a message for a platform it has no adapter for', async () => {
    const [id = 0] = await enqueue({ ...post('G1', 'hello'), platform: 'line' });

    await worker(new RecordingDeliverer()).runOnce();

    expect(await row(id)).toMatchObject({ status: 'dead', last_error: 'no adapter for line' });
  });

  it('takes over a message whose worker died only when its lease has run out', async () => {
    const [id = 0] = await enqueue(post('C1', 'hello'));
    const queue = createOutboxQueue(database.db);
    // A worker claims the message and then disappears without reporting.
    const [claimed] = await queue.claim({ now, leaseUntil: seconds(30), limit: 10 });
    expect(claimed).toMatchObject({ id, attempts: 1 });
    const slack = new RecordingDeliverer();
    const w = worker(slack);

    advance(29_000);
    expect(await w.runOnce()).toBe(0);
    advance(1_000);
    expect(await w.runOnce()).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });

    // The first worker coming back late cannot undo what the second one recorded.
    expect(await queue.markDead({ id, attempts: 1, error: 'late' })).toBe(false);
    expect(await row(id)).toMatchObject({ status: 'sent', last_error: null });
  });

  it('runs on an interval until stopped', async () => {
    await enqueue(post('C1', 'a'), post('C2', 'b'));
    const slack = new RecordingDeliverer();
    const w = worker(slack);

    w.start(5);
    await expect.poll(() => slack.delivered.length).toBe(2);
    await w.stop();
    await enqueue(post('C1', 'c'));
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(slack.delivered).toHaveLength(2);
  });
});

describe('the outbox worker’s pace', () => {
  /** Runs the worker every 100 ms of the test clock until `count` are delivered; when each went. */
  async function deliverAll(
    w: ReturnType<typeof worker>,
    slack: RecordingDeliverer,
    count: number,
  ) {
    const sentAt = new Map<number, number>();
    const start = now.getTime();
    for (let step = 0; slack.delivered.length < count && step < 1000; step++) {
      await w.runOnce();
      for (const d of slack.delivered)
        if (!sentAt.has(d.id)) sentAt.set(d.id, now.getTime() - start);
      advance(100);
    }
    return slack.delivered.map((d) => ({ channel: d.channel, text: d.text, at: sentAt.get(d.id) }));
  }

  it('sends five messages to one Slack channel a second apart, and two channels side by side', async () => {
    await enqueue(
      ...[1, 2, 3, 4, 5].flatMap((n) => [post('C1', `c1-${n}`), post('C2', `c2-${n}`)]),
    );
    const slack = new RecordingDeliverer();
    const w = worker(slack, { rateLimits: DEFAULT_RATE_LIMITS });

    const sent = await deliverAll(w, slack, 10);

    const c1 = sent.filter((d) => d.channel === 'C1');
    expect(c1.map((d) => d.text)).toEqual(['c1-1', 'c1-2', 'c1-3', 'c1-4', 'c1-5']);
    expect(c1.map((d) => d.at)).toEqual([0, 1000, 2000, 3000, 4000]);
    // The channels interleave: C2 does not wait for C1's five.
    expect(sent.map((d) => d.text)).toEqual([1, 2, 3, 4, 5].flatMap((n) => [`c1-${n}`, `c2-${n}`]));
    expect(sent.filter((d) => d.channel === 'C2').map((d) => d.at)).toEqual([
      0, 1000, 2000, 3000, 4000,
    ]);
    // Waiting for the limit spent no attempt.
    const rows = await database.db.selectFrom('outbox').select(['status', 'attempts']).execute();
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('holds the 21st message in a minute to a Telegram group until the minute is over', async () => {
    const group = '-1001234567890';
    const ids = await enqueue(
      ...Array.from({ length: 21 }, (_, i) => ({
        ...post(group, `m${i + 1}`),
        platform: 'telegram',
      })),
    );
    const telegram = new RecordingDeliverer();
    const w = worker(new RecordingDeliverer(), {
      deliverers: { telegram },
      rateLimits: DEFAULT_RATE_LIMITS,
    });

    for (let second = 0; second < 25; second++) {
      await w.runOnce();
      advance(1000);
    }
    expect(telegram.delivered.map((d) => d.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `m${i + 1}`),
    );
    expect(await row(ids[20] ?? 0)).toMatchObject({
      status: 'pending',
      attempts: 0,
      next_attempt_at: new Date(TEST_NOW.getTime() + 60_000),
    });

    now = new Date(TEST_NOW.getTime() + 59_999);
    expect(await w.runOnce()).toBe(0);
    now = new Date(TEST_NOW.getTime() + 60_000);
    expect(await w.runOnce()).toBe(1);
    expect(await row(ids[20] ?? 0)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('spreads retries between half and all of the doubling delay, at random', async () => {
    expect([0, 0.5, 0.999_999].map((r) => retryDelayMs(3, undefined, () => r))).toEqual([
      4000, 6000, 8000,
    ]);
    expect(retryDelayMs(20, undefined, () => 0)).toBe(300_000);
    // Never sooner than the platform asked.
    expect(retryDelayMs(1, 30_000, () => 0.999_999)).toBe(30_000);

    const [a = 0, b = 0] = await enqueue(post('C1', 'a'), post('C2', 'b'));
    const slack = new RecordingDeliverer();
    slack.answer(new DeliveryError('slack: HTTP 500'), new DeliveryError('slack: HTTP 500'));
    const draws = [0.1, 0.9];
    await worker(slack, { random: () => draws.shift() ?? 0 }).runOnce();

    expect((await row(a)).next_attempt_at).toEqual(seconds(1.1));
    expect((await row(b)).next_attempt_at).toEqual(seconds(1.9));
  });
});

describe('dead letters', () => {
  let admins = 0;

  /** An admin (and a sales user) reachable in Slack; the admin's Slack id. */
  async function addAdmin(): Promise<string> {
    admins += 1;
    const externalId = `UADMIN${admins}`;
    await database.store.users.create({
      identity: { platform: 'slack', externalId },
      displayName: `Admin ${admins}`,
      role: 'admin',
    });
    await database.store.users.create({
      identity: { platform: 'slack', externalId: `USALES${admins}` },
      displayName: `Sales ${admins}`,
      role: 'sales',
    });
    return externalId;
  }

  const deadLetters = (dead: Parameters<typeof deadLetterNotices>[1]) =>
    deadLetterNotices(database.store, dead, ['slack']);

  async function rows() {
    return database.db
      .selectFrom('outbox')
      .select(['id', 'channel_external_id as channel', 'kind', 'status', 'payload'])
      .orderBy('id')
      .execute();
  }

  beforeEach(async () => {
    await database.db.deleteFrom('platform_identities').execute();
    await database.db.deleteFrom('users').execute();
  });

  it('sends the admins one direct message saying what failed', async () => {
    const admin = await addAdmin();
    const [id = 0] = await enqueue({ ...post('C1', 'hello'), payload: { type: 'digest' } });
    const slack = new RecordingDeliverer();
    slack.answer(
      new DeliveryError('slack chat.postMessage: channel_not_found', { permanent: true }),
    );

    await worker(slack, { deadLetters }).runOnce();

    expect(slack.delivered).toEqual([expect.objectContaining({ channel: admin, kind: 'direct' })]);
    const all = await rows();
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({
      channel: admin,
      kind: 'direct',
      status: 'sent',
      payload: {
        type: 'dead_letter',
        outboxId: id,
        platform: 'slack',
        channel: 'C1',
        kind: 'post',
        what: 'digest',
        attempts: 1,
        error: 'slack chat.postMessage: channel_not_found',
      },
    });
  });

  it('queues no notice about a notice that died, so an outage cannot loop', async () => {
    const admin = await addAdmin();
    await enqueue(post('C1', 'hello'));
    const slack = new RecordingDeliverer();
    slack.answer(
      new DeliveryError('slack chat.postMessage: HTTP 500'),
      new DeliveryError('slack chat.postMessage: HTTP 500'),
    );
    const w = worker(slack, { deadLetters, maxAttempts: 1 });

    await w.runOnce();
    advance(60_000);
    await w.runOnce();

    const all = await rows();
    expect(all.map((r) => [r.channel, r.kind, r.status])).toEqual([
      ['C1', 'post', 'dead'],
      [admin, 'direct', 'dead'],
    ]);
    expect(slack.attempts).toHaveLength(2);
    expect(logLines.filter((l) => l.includes('outbox message dead'))).toHaveLength(2);
  });
});
