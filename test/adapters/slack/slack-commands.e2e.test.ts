import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../src/adapters/console/index.ts';
import { createTestBot } from '../../support/bot.ts';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';
import { appHomeOpenedEvent, eventCallbackBody } from '../../support/slack-requests.ts';

// The real Bolt app over HTTP on the bot's server, against a fake Slack Web API.

let slack: SlackBot;

beforeAll(async () => {
  slack = await startSlackBot({ base: 'demo' });
  await slack.database.store.users.create({
    identity: { platform: 'slack', externalId: 'U-SALES' },
    displayName: 'Sales Rep',
    role: 'sales',
  });
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Element[];
};
type Element = {
  type: string;
  text?: { text: string } | string;
  value?: string;
  action_id?: string;
};
interface SlackMessage {
  response_type?: string;
  replace_original?: boolean;
  text: string;
  blocks: Block[];
}

async function answer(id: string): Promise<SlackMessage> {
  const response = await slack.fake.waitForResponse(id);
  return response.body as SlackMessage;
}

function textOf(message: { blocks: Block[] }): string {
  return message.blocks
    .flatMap((b) => [
      b.text?.text ?? '',
      ...(b.fields ?? []).map((f) => f.text),
      ...(b.elements ?? []).map((e) =>
        typeof e.text === 'string' ? e.text : (e.text?.text ?? ''),
      ),
    ])
    .join('\n');
}

function buttons(message: { blocks: Block[] }): Element[] {
  return message.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === 'button');
}

describe('/credit in Slack', () => {
  it('acknowledges at once and answers with an ephemeral card through response_url', async () => {
    const response = await slack.slash('アクメ', { responseId: 'card' });
    expect(response.status).toBe(200);
    const message = await answer('card');
    expect(message.response_type).toBe('ephemeral');
    const header = message.blocks[0];
    expect(header?.type).toBe('header');
    expect(header?.text?.text).toBe('株式会社アクメ');
    const text = textOf(message);
    for (const label of [
      'Score / rating',
      'Credit limit',
      'Exposure',
      'Utilisation',
      'Credit phase',
      'Owner',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/[🟢🟡🔴]/u);
    const labels = buttons(message).map((b) =>
      typeof b.text === 'string' ? b.text : b.text?.text,
    );
    expect(labels).toEqual(
      expect.arrayContaining(['Log contact', 'Request limit change', 'Propose phase change']),
    );
    // Buttons carry opaque tokens, never the command itself.
    for (const button of buttons(message)) expect(button.value).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('gives a pick list whose buttons open the chosen card', async () => {
    await slack.slash('ミドリ', { responseId: 'pick' });
    const pick = await answer('pick');
    const choice = buttons(pick).find((b) =>
      String(typeof b.text === 'string' ? b.text : b.text?.text).startsWith('C0010'),
    );
    expect(choice?.value).toBeDefined();
    const click = await slack.click({
      userId: 'U0001',
      channelId: 'C0001',
      actionId: choice?.action_id ?? '',
      value: choice?.value ?? '',
      isEphemeral: true,
      responseId: 'picked',
    });
    expect(click.status).toBe(200);
    const card = await answer('picked');
    expect(card.blocks[0]?.text?.text).toContain('ミドリ');
    expect(textOf(card)).toContain('C0010');
  });

  it('suggests names when nothing matches', async () => {
    await slack.slash('アクミ商事', { responseId: 'none' });
    const message = await answer('none');
    expect(message.blocks[0]?.text?.text).toContain('No customer matches');
  });

  it('refuses a forged button token with a message, not an error page', async () => {
    await slack.click({
      userId: 'U0001',
      channelId: 'C0001',
      actionId: 'co_act_0',
      value: 'AAAAAAAAAAAAAAAA',
      responseId: 'forged',
    });
    expect(textOf(await answer('forged'))).toContain('no longer works');
  });

  it('posts the card for everyone with /credit share', async () => {
    await slack.slash('share C0001', { userId: 'U-SALES', responseId: 'share' });
    const message = await answer('share');
    expect(message.response_type).toBe('in_channel');
    expect(message.blocks[0]?.text?.text).toBe('株式会社アクメ');
  });

  it('keeps a refusal private: a viewer cannot share', async () => {
    await slack.slash('share C0001', { userId: 'U-VIEWER', responseId: 'share-viewer' });
    const message = await answer('share-viewer');
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks[0]?.text?.text).not.toBe('株式会社アクメ');
  });

  it('answers in the Slack user locale, the channel language, or a pinned choice', async () => {
    slack.fake.setUser('U-JA', { locale: 'ja-JP' });
    await slack.slash('C0001', { userId: 'U-JA', responseId: 'ja' });
    expect(textOf(await answer('ja'))).toContain('与信限度額');

    await slack.database.db
      .insertInto('channels')
      .values({ platform: 'slack', external_id: 'C-ZH', locale: 'zh', timezone: 'Asia/Shanghai' })
      .execute();
    slack.fake.setUser('U-NOLOCALE', { locale: undefined });
    await slack.slash('C0001', { userId: 'U-NOLOCALE', channelId: 'C-ZH', responseId: 'zh' });
    expect(textOf(await answer('zh'))).toContain('信用额度');

    await slack.slash('lang en', { userId: 'U-JA', responseId: 'pin' });
    await answer('pin');
    await slack.slash('C0001', { userId: 'U-JA', responseId: 'pinned' });
    expect(textOf(await answer('pinned'))).toContain('Credit limit');
  });

  it('acknowledges within Slack’s window while the database is busy, then answers', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = slack.database.db.transaction().execute(async (trx) => {
      await sql`lock table users in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    await isLocked;
    try {
      const response = await slack.slash('C0001', { userId: 'U-SLOW', responseId: 'slow' });
      expect(response.status).toBe(200);
      expect(slack.fake.responses.filter((r) => r.id === 'slow')).toEqual([]);
    } finally {
      release();
      await holder;
    }
    expect((await answer('slow')).blocks[0]?.text?.text).toBe('株式会社アクメ');
  });

  it('publishes the App Home tab with the person’s own desk', async () => {
    // The demo owner with the most customers signs in to Slack.
    const owner = await slack.database.db
      .selectFrom('customers')
      .select(['owner_user_id', (eb) => eb.fn.countAll().as('n')])
      .where('owner_user_id', 'is not', null)
      .groupBy('owner_user_id')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    await slack.database.db
      .insertInto('platform_identities')
      .values({ user_id: Number(owner.owner_user_id), platform: 'slack', external_id: 'U-OWNER' })
      .execute();
    const response = await slack.post(
      eventCallbackBody({ event: appHomeOpenedEvent('U-OWNER'), eventId: 'Ev-home-1' }),
    );
    expect(response.status).toBe(200);
    const call = await slack.fake.waitForCall('views.publish', 1, 20_000);
    expect(call.args.user_id).toBe('U-OWNER');
    const view = call.args.view as { type: string; blocks: Block[] };
    expect(view.type).toBe('home');
    const text = textOf(view);
    // In the owner's own language (the demo's 佐藤 花子 reads Japanese).
    expect(text).toContain('要注意の担当先');
    expect(text).toMatch(/🔴|🟡/u);
    expect(text).toContain('今週期日の入金約束');
  });
});

describe('the same command in the console and in Slack', () => {
  it('gives the same facts', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let consoleText = '';
    output.on('data', (chunk: Buffer) => {
      consoleText += chunk.toString('utf8');
    });
    const run = createConsoleAdapter({
      bot: createTestBot(slack.database.store),
      input,
      output,
      userName: 'operator',
      locale: 'en',
    }).run();
    input.end('/credit C0001\n');
    await run;

    await slack.slash('C0001', { responseId: 'parity' });
    const slackText = textOf(await answer('parity'));
    const card = await slack.bot.handle({
      identity: { platform: 'slack', externalId: 'U0001' },
      displayName: 'u0001',
      text: '/credit C0001',
      defaultRole: 'viewer',
    });
    expect(card.fields?.length).toBeGreaterThan(5);
    for (const field of card.fields ?? []) {
      expect(consoleText).toContain(field.value);
      expect(slackText).toContain(
        field.value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
      );
    }
  });
});
