import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOutboxMessage } from '../../../src/app/outbox-ports.ts';
import { createOutboxQueue } from '../../../src/db/outbox-repository.ts';
import { createOutboxWorker } from '../../../src/jobs/outbox-worker.ts';
import { quietLogger } from '../../support/bot.ts';
import { TEST_NOW } from '../../support/constants.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';

// The outbox through the real Slack deliverer and Web API client into a fake Slack that fails
// for a while: 500s, then 429s with Retry-After. The worker runs on a test clock with the
// default rate limits, as a restarted bot would.

let slack: SlackBot;
let now: Date;
const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

beforeAll(async () => {
  slack = await startSlackBot({ base: 'empty' });
});
afterAll(async () => {
  await slack?.close();
});

function worker(id: string) {
  return createOutboxWorker({
    db: createOutboxQueue(slack.database.db),
    deliverers: { slack: slack.adapter.deliverer },
    render: (delivery) => slack.bot.outbox(delivery),
    clock: { now: () => now },
    logger: quietLogger,
    workerId: id,
    random: () => 0.5,
  });
}

/** A channel's digest of a day: what the scheduler queues. */
const digest = (channel: string, asOf: string): NewOutboxMessage => ({
  platform: 'slack',
  channel,
  kind: 'post',
  payload: { type: 'digest', platform: 'slack', channel, asOf, late: false },
  subjectType: 'digest',
  subjectId: `slack:${channel}:${asOf}`,
});

async function rowsIn(channels: readonly string[]) {
  return slack.database.db
    .selectFrom('outbox')
    .select(['id', 'channel_external_id as channel', 'status', 'platform_ref'])
    .where('channel_external_id', 'in', channels)
    .orderBy('id')
    .execute();
}

/** The posts Slack took in a channel, in the order it took them. */
const acceptedPosts = (channel: string) =>
  slack.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.status === 200 && c.args.channel === channel);

describe('the outbox against a failing Slack', () => {
  it('delivers every message once after 500s and 429s, in order per channel', async () => {
    const channels = ['C0OUTA', 'C0OUTB', 'C0OUTC'];
    const days = ['2026-11-18', '2026-11-19', '2026-11-20'];
    await slack.database.store.outbox.enqueue(
      days.flatMap((day) => channels.map((channel) => digest(channel, day))),
    );
    for (let i = 0; i < 4; i++) slack.fake.failNext('chat.postMessage', { kind: 'server_error' });
    for (let i = 0; i < 4; i++) {
      slack.fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfter: 3 });
    }
    now = TEST_NOW;
    const w = worker('after-outage');

    let step = 0;
    for (; step < 600; step++) {
      await w.runOnce();
      const rows = await rowsIn(channels);
      if (rows.every((r) => r.status === 'sent')) break;
      advance(250);
    }

    const posts = slack.fake.callsTo('chat.postMessage');
    expect(posts.map((c) => c.status).filter((s) => s !== 200)).toEqual([
      500, 500, 500, 500, 429, 429, 429, 429,
    ]);
    expect(posts.filter((c) => c.status === 200)).toHaveLength(9);
    // Slack asked for 3 s: nothing went out again sooner.
    expect(now.getTime() - TEST_NOW.getTime()).toBeGreaterThanOrEqual(3000);
    const rows = await rowsIn(channels);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    for (const channel of channels) {
      // Once each: every post Slack took is one outbox row's message, and the rows of a
      // channel went out in the order they were queued.
      const refs = rows.filter((r) => r.channel === channel).map((r) => r.platform_ref);
      expect(refs).toHaveLength(3);
      expect(new Set(refs).size).toBe(3);
      const accepted = acceptedPosts(channel);
      expect(accepted).toHaveLength(3);
      const sentTs = refs.map((ref) => Number(String(ref).split(':')[1]));
      expect(sentTs).toEqual([...sentTs].sort((a, b) => a - b));
      const titles = accepted.map((c) => JSON.stringify(c.args.blocks));
      expect(titles[0]).toContain('Nov 18, 2026');
      expect(titles[1]).toContain('Nov 19, 2026');
      expect(titles[2]).toContain('Nov 20, 2026');
    }
  });

  it('delivers a message once when the process that claimed it died before sending', async () => {
    now = TEST_NOW;
    await slack.database.store.outbox.enqueue([digest('C0KILLED', '2026-11-20')]);
    // The old process claimed the message and was killed before it called Slack.
    const [claimed] = await createOutboxQueue(slack.database.db).claim({
      now,
      leaseUntil: new Date(now.getTime() + 30_000),
      limit: 10,
    });
    expect(claimed?.channel).toBe('C0KILLED');

    const restarted = worker('restarted');
    expect(await restarted.runOnce()).toBe(0);
    advance(30_000);
    expect(await restarted.runOnce()).toBe(1);
    advance(60_000);
    expect(await restarted.runOnce()).toBe(0);

    expect(acceptedPosts('C0KILLED')).toHaveLength(1);
    expect(await rowsIn(['C0KILLED'])).toEqual([
      expect.objectContaining({
        status: 'sent',
        platform_ref: expect.stringMatching(/^C0KILLED:/),
      }),
    ]);
  });
});
