import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
} from '../../src/jobs/outbox-worker.ts';
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
    const w = worker(slack, { maxAttempts: 11 });
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
