import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLineAdapter } from '../../../src/adapters/line/index.ts';
import { addSubscription } from '../../../src/app/channels.ts';
import { DeliveryError, type OutboxDelivery } from '../../../src/app/outbox-ports.ts';
import type { Logger } from '../../../src/app/ports.ts';
import { digestJob } from '../../../src/jobs/digest-job.ts';
import { LINE_SECRET, LINE_TOKEN, type LineBot, startLineBot } from '../../support/line-bot.ts';
import { schedulerReplicas, tickAll } from '../../support/replicas.ts';

// The morning digest in a LINE group: queued by the scheduler, pushed by the outbox worker
// through the LINE deliverer as one Flex message (the aging chart has no image host on LINE,
// and each push costs quota per member). LINE's "monthly limit" 429 is final; any other 429
// is retried; a retried push is never sent twice; our own monthly cap holds before LINE's.

let line: LineBot;
const TOKYO = 'C70c10000000000000000000000000001';
const FULL = 'C70c10000000000000000000000000002';
const BUSY = 'C70c10000000000000000000000000003';

async function subscribe(chatId: string, locale: 'ja' | 'en') {
  await addSubscription(line.database.store, 'cli:test', {
    channel: `line:${chatId}`,
    kind: 'digest',
    localTime: '09:00',
    timeZone: 'Asia/Tokyo',
    locale,
    businessDaysOnly: false,
    defaultTimeZone: 'UTC',
    defaultLocale: 'en',
  });
}

async function queueDigests(): Promise<void> {
  await tickAll(
    schedulerReplicas({
      jobs: [digestJob(line.core)],
      db: line.database.db,
      clock: line.core.clock,
      instances: ['test'],
    }),
  );
}

const rows = (chatId: string) =>
  line.database.db
    .selectFrom('outbox')
    .select([
      'status',
      'attempts',
      'last_error',
      'platform_ref',
      (eb) => eb.ref('payload', '->>').key('type').as('type'),
    ])
    .where('platform', '=', 'line')
    .where('channel_external_id', '=', chatId)
    .orderBy('id')
    .execute();

const flexText = (message: messagingApi.Message | undefined) => JSON.stringify(message);

beforeAll(async () => {
  line = await startLineBot({ base: 'demo' });
  line.fake.setMembers(TOKYO, 5);
  await subscribe(TOKYO, 'ja');
});
afterAll(async () => {
  await line?.close();
});
beforeEach(() => {
  line.fake.reset();
});

describe('the daily digest in a LINE group', () => {
  it('is pushed once, in the group’s language, as one Flex message; the chart costs nothing', async () => {
    const usedBefore = line.fake.usage();
    await queueDigests();
    await line.deliver();

    const pushes = line.fake.pushes(TOKYO);
    expect(pushes).toHaveLength(1);
    const [digest] = pushes[0]?.messages ?? [];
    expect(digest?.type).toBe('flex');
    expect(flexText(digest)).toContain('売掛金');
    expect(pushes[0]?.retryKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rows(TOKYO)).toEqual([
      expect.objectContaining({ type: 'digest', status: 'sent', attempts: 1 }),
      expect.objectContaining({ type: 'digest_chart', status: 'sent', platform_ref: null }),
    ]);
    expect((await rows(TOKYO))[0]?.platform_ref).toMatch(new RegExp(`^${TOKYO}:\\d+$`));
    // A push to a group counts once per member.
    expect(line.fake.usage() - usedBefore).toBe(5);

    // Another round sends nothing again.
    expect(await line.deliver()).toBe(0);
    expect(line.fake.pushes(TOKYO)).toHaveLength(1);
  });

  it('is given up, not retried, when LINE says the month’s messages are spent', async () => {
    await subscribe(FULL, 'en');
    await queueDigests();
    line.fake.failNext('push', { kind: 'monthly_limit' });
    await line.deliver();
    await line.deliver();

    const [digest] = await rows(FULL);
    expect(digest).toMatchObject({ type: 'digest', status: 'dead', attempts: 1 });
    expect(digest?.last_error).toContain('You have reached your monthly limit.');
    expect(line.fake.callsTo('/v2/bot/message/push')).toHaveLength(1);
    expect(line.fake.pushes(FULL)).toEqual([]);
  });

  it('is tried again later after any other 429', async () => {
    await subscribe(BUSY, 'en');
    await queueDigests();
    line.fake.failNext('push', { kind: 'rate_limited', retryAfter: 30 });
    await line.deliver();

    const [digest] = await rows(BUSY);
    expect(digest).toMatchObject({ type: 'digest', status: 'pending', attempts: 1 });
    expect(digest?.last_error).toContain('rate limited');
    const due = await line.database.db
      .selectFrom('outbox')
      .select('next_attempt_at')
      .where('channel_external_id', '=', BUSY)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(due.next_attempt_at.getTime()).toBeGreaterThanOrEqual(
      line.core.clock.now().getTime() + 30_000,
    );
  });
});

describe('the LINE deliverer', () => {
  const delivery = (o: Partial<OutboxDelivery> = {}): OutboxDelivery => ({
    id: 9001,
    platform: 'line',
    channel: TOKYO,
    kind: 'post',
    payload: { type: 'digest', asOf: '2026-11-23' },
    attempts: 1,
    updateRefs: [],
    ...o,
  });
  const card = { card: { title: 'Receivables today', lines: ['JPY ¥1,000'] }, tokens: [] };

  it('sends a retried message once: LINE’s 409 for the same retry key counts as sent', async () => {
    const first = await line.adapter.deliverer.deliver(delivery(), card);
    const again = await line.adapter.deliverer.deliver(delivery({ attempts: 2 }), card);
    expect(line.fake.pushes(TOKYO)).toHaveLength(1);
    expect(line.fake.callsTo('/v2/bot/message/push').map((c) => c.status)).toEqual([200, 409]);
    expect(again.ref).toBe(first.ref);
    const keys = line.fake.callsTo('/v2/bot/message/push').map((c) => c.retryKey);
    expect(keys[0]).toBe(keys[1]);
  });

  it('keeps to LINE_MONTHLY_PUSH_CAP and warns in the log before the month runs out', async () => {
    const logged: string[] = [];
    const logger: Logger = {
      info: () => {},
      warn: (message) => logged.push(message),
      error: (message) => logged.push(message),
    };
    const used = line.fake.usage();
    // Room for one push to the five-member group (which takes the count past 80 %), not two.
    const capped = createLineAdapter({
      bot: line.bot,
      i18n: line.core.i18n,
      logger,
      channelSecret: LINE_SECRET,
      channelAccessToken: LINE_TOKEN,
      apiBaseUrl: line.fake.baseUrl,
      monthlyPushCap: used + 6,
    });
    await capped.deliverer.deliver(delivery({ id: 9101 }), card);
    expect(logged).toContain('line monthly push quota running low');

    const refused = capped.deliverer.deliver(delivery({ id: 9102 }), card);
    await expect(refused).rejects.toBeInstanceOf(DeliveryError);
    await expect(refused).rejects.toMatchObject({ permanent: true });
    expect(line.fake.pushes(TOKYO)).toHaveLength(1);
    const status = await capped.budget.status();
    expect(status).toMatchObject({
      used: used + 5,
      cap: used + 6,
      limit: used + 6,
      lineQuota: 200,
    });
  });
});
