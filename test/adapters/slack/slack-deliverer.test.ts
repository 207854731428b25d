import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackDeliverer } from '../../../src/adapters/slack/slack-deliverer.ts';
import type { OutboxDelivery } from '../../../src/app/outbox-ports.ts';
import type { Logger } from '../../../src/app/ports.ts';
import type { Card, CardChart } from '../../../src/chat/card.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import { createOutboxQueue } from '../../../src/db/outbox-repository.ts';
import { ChartFontMissingError, renderAgingChart } from '../../../src/io/aging-chart.ts';
import { createOutboxWorker, DeliveryError } from '../../../src/jobs/outbox-worker.ts';
import { TEST_NOW } from '../../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';

const i18n = createI18n();
let fake: FakeSlack;
let client: webApi.WebClient;

const card: Card = {
  title: 'Credit limit change for Acme',
  lines: ['¥5,000,000 → ¥8,000,000'],
  actions: [
    { label: 'Approve', command: '/credit approve 7', style: 'primary' },
    { label: 'Reject', command: '/credit reject 7', style: 'danger' },
  ],
};
const rendered = { card, tokens: ['tok-approve', 'tok-reject'] };

function delivery(overrides: Partial<OutboxDelivery> = {}): OutboxDelivery {
  return {
    id: 1,
    platform: 'slack',
    channel: 'C0APPROVALS',
    kind: 'post',
    payload: {},
    attempts: 1,
    updateRefs: [],
    ...overrides,
  };
}

/** The rejection a delivery ends in, so a test can look at how it was classified. */
async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new webApi.WebClient('xoxb-t', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

describe(createSlackDeliverer.name, () => {
  it('posts the card as Block Kit with its buttons and returns channel and ts as the ref', async () => {
    const slack = createSlackDeliverer({ client, i18n });

    const { ref } = await slack.deliver(delivery(), rendered);

    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe('xoxb-t');
    expect(call?.args).toMatchObject({ channel: 'C0APPROVALS', text: card.title });
    const blocks = JSON.stringify(call?.args.blocks);
    expect(blocks).toContain('¥5,000,000 → ¥8,000,000');
    expect(blocks).toContain('"value":"tok-approve"');
    expect(blocks).toContain('"value":"tok-reject"');
    expect(ref).toMatch(/^C0APPROVALS:\d+\.\d+$/);
  });

  it('edits every posted message of the subject with chat.update', async () => {
    const slack = createSlackDeliverer({ client, i18n });
    const decided: Card = { title: 'Approved by Sato', lines: ['New limit ¥8,000,000'] };

    await slack.deliver(
      delivery({ kind: 'update', updateRefs: ['C0APPROVALS:1700000000.000100', 'C9:17.5'] }),
      { card: decided, tokens: [] },
    );

    const calls = fake.callsTo('chat.update');
    expect(calls.map((c) => [c.args.channel, c.args.ts, c.args.text])).toEqual([
      ['C0APPROVALS', '1700000000.000100', 'Approved by Sato'],
      ['C9', '17.5', 'Approved by Sato'],
    ]);
    expect(JSON.stringify(calls[0]?.args.blocks)).toContain('New limit ¥8,000,000');
  });

  it('sends a direct message to the user’s id', async () => {
    const slack = createSlackDeliverer({ client, i18n });

    const { ref } = await slack.deliver(delivery({ kind: 'direct', channel: 'U0REQUESTER' }), {
      card: { title: 'Your request #7 was approved' },
      tokens: [],
    });

    expect(fake.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'U0REQUESTER' });
    expect(ref).toMatch(/^U0REQUESTER:/);
  });

  it('asks to wait when an update has no posted message yet', async () => {
    const slack = createSlackDeliverer({ client, i18n });

    const error = await failure(slack.deliver(delivery({ kind: 'update' }), rendered));

    expect(error.permanent).toBe(false);
    expect(fake.calls).toEqual([]);
  });

  it('reads a 429 as retry after the seconds Slack names', async () => {
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfter: 1 });
    const slack = createSlackDeliverer({ client, i18n });

    const error = await failure(slack.deliver(delivery(), rendered));

    expect(error).toMatchObject({ permanent: false, retryAfterMs: 1000 });
    expect(error.message).toBe('slack chat.postMessage: rate limited');
  });

  it('reads a 500 as worth retrying', async () => {
    fake.failNext('chat.update', { kind: 'server_error' });
    const slack = createSlackDeliverer({ client, i18n });

    const error = await failure(
      slack.deliver(delivery({ kind: 'update', updateRefs: ['C1:1.2'] }), rendered),
    );

    expect(error).toMatchObject({ permanent: false, message: 'slack chat.update: HTTP 500' });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('reads channel_not_found as final', async () => {
    fake.failNext('chat.postMessage', { kind: 'ok_false', error: 'channel_not_found' });
    const slack = createSlackDeliverer({ client, i18n });

    const error = await failure(slack.deliver(delivery(), rendered));

    expect(error).toMatchObject({
      permanent: true,
      message: 'slack chat.postMessage: channel_not_found',
    });
  });

  it('reads ok:false ratelimited as worth retrying', async () => {
    fake.failNext('chat.postMessage', { kind: 'ok_false', error: 'ratelimited' });
    const slack = createSlackDeliverer({ client, i18n });

    expect((await failure(slack.deliver(delivery(), rendered))).permanent).toBe(false);
  });

  it('reads an unreachable Slack as worth retrying', async () => {
    const closed = await startFakeSlack();
    const apiUrl = closed.apiUrl;
    await closed.close();
    const offline = new webApi.WebClient('xoxb-t', {
      slackApiUrl: apiUrl,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    const slack = createSlackDeliverer({ client: offline, i18n });

    const error = await failure(slack.deliver(delivery(), rendered));

    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/^slack chat\.postMessage: request failed/);
    expect(error.message).not.toContain('xoxb');
  });
});

describe('a chart card', () => {
  const chart: CardChart = {
    title: '売掛金エイジング（2026/11/23時点）',
    altText: `JPY：期日未到来 ¥1,000,000${'・'.repeat(1200)}`,
    fileName: 'aging-2026-11-23.png',
    locale: 'ja',
    categories: [
      { label: '期日未到来', colour: '#2e7d32' },
      { label: '91日以上', colour: '#c62828' },
    ],
    series: [{ label: 'JPY', currency: 'JPY', amountsMinor: [1_000_000, 250_000] }],
  };
  const chartCard = { card: { title: chart.title, chart }, tokens: [] };

  it('is uploaded as the drawn PNG and shared in the channel under its title', async () => {
    const slack = createSlackDeliverer({ client, i18n, renderChart: renderAgingChart });

    expect(await slack.deliver(delivery(), chartCard)).toEqual({});

    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const [upload] = fake.uploads;
    expect(upload).toMatchObject({ channel: 'C0APPROVALS', title: chart.title });
    expect(upload?.bytes?.subarray(1, 4).toString()).toBe('PNG');
    expect(upload?.bytes?.length).toBe(upload?.length);
    // Slack refuses alt text over 1,000 characters; the description is cut to fit.
    expect(upload?.altText).toHaveLength(1000);
    expect(upload?.altText).toMatch(/^JPY：期日未到来 ¥1,000,000/);
  });

  it('sends nothing where no renderer was given: the digest has the figures as text', async () => {
    const slack = createSlackDeliverer({ client, i18n });

    expect(await slack.deliver(delivery(), chartCard)).toEqual({});
    expect(fake.calls).toEqual([]);
  });

  it('gives up at once when it cannot be drawn, and retries when Slack fails', async () => {
    const noFont = createSlackDeliverer({
      client,
      i18n,
      renderChart: () => Promise.reject(new ChartFontMissingError(['/nonexistent.ttc'])),
    });
    const drawing = await failure(noFont.deliver(delivery(), chartCard));
    expect(drawing.permanent).toBe(true);
    expect(drawing.message).toContain('fonts-noto-cjk');

    const slack = createSlackDeliverer({ client, i18n, renderChart: renderAgingChart });
    fake.failNext('files.getUploadURLExternal', { kind: 'server_error' });
    expect((await failure(slack.deliver(delivery(), chartCard))).permanent).toBe(false);
    expect(fake.uploads).toEqual([]);
  });
});

describe('the outbox worker delivering to Slack', () => {
  let database: TestDatabase;
  let now: Date;
  const logger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
  const subject = { subjectType: 'approval_request', subjectId: '7' };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('outbox').execute();
    now = TEST_NOW;
  });

  function worker() {
    return createOutboxWorker<Card>({
      db: createOutboxQueue(database.db),
      deliverers: { slack: createSlackDeliverer({ client, i18n }) },
      // Stands in for main's rendering of the approval card from the request as it is now.
      render: async (d) => ({
        card: { title: d.payload.mode === 'update' ? 'Approved by Sato' : 'Approval #7' },
        tokens: [],
      }),
      clock: { now: () => now },
      logger,
      workerId: 'test',
    });
  }

  it('posts the approval card and then updates that very message', async () => {
    await database.store.outbox.enqueue([
      {
        platform: 'slack',
        channel: 'C0APPROVALS',
        kind: 'post',
        payload: { type: 'approval_card', requestId: 7, mode: 'post' },
        ...subject,
      },
      {
        platform: 'slack',
        channel: 'C0APPROVALS',
        kind: 'update',
        payload: { type: 'approval_card', requestId: 7, mode: 'update' },
        ...subject,
      },
    ]);

    expect(await worker().runOnce()).toBe(2);

    const [posted] = fake.callsTo('chat.postMessage');
    const [updated] = fake.callsTo('chat.update');
    expect(posted?.args).toMatchObject({ channel: 'C0APPROVALS', text: 'Approval #7' });
    // The update edits the message the post created: the ts Slack answered with.
    const [ref] = await sentRefs();
    const ts = ref?.split(':')[1];
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(updated?.args).toMatchObject({ channel: 'C0APPROVALS', ts, text: 'Approved by Sato' });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.update']);
  });

  it('retries through two 500s and posts once, on the third attempt', async () => {
    fake.failNext('chat.postMessage', { kind: 'server_error' });
    fake.failNext('chat.postMessage', { kind: 'server_error' });
    await database.store.outbox.enqueue([
      { platform: 'slack', channel: 'C0APPROVALS', kind: 'post', payload: {}, ...subject },
    ]);
    const w = worker();

    expect(await w.runOnce()).toBe(0);
    now = new Date(now.getTime() + 2_000);
    expect(await w.runOnce()).toBe(0);
    now = new Date(now.getTime() + 4_000);
    expect(await w.runOnce()).toBe(1);

    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);
    const row = await database.db
      .selectFrom('outbox')
      .select(['status', 'attempts', 'last_error'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'sent',
      attempts: 3,
      last_error: 'slack chat.postMessage: HTTP 500',
    });
  });

  async function sentRefs(): Promise<string[]> {
    const rows = await database.db
      .selectFrom('outbox')
      .select('platform_ref')
      .where('kind', '=', 'post')
      .where('status', '=', 'sent')
      .execute();
    return rows.flatMap((r) => (r.platform_ref ? [r.platform_ref] : []));
  }
});
