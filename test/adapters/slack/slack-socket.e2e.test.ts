import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/index.ts';
import { createBot } from '../../../src/chat/bot.ts';
import { createTestCore } from '../../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import { slashCommandPayload } from '../../support/slack-requests.ts';

// Socket Mode: no public URL; Slack sends envelopes over a WebSocket and the app acknowledges
// each one on the same socket.

let database: TestDatabase;
let fake: FakeSlack;
let adapter: SlackAdapter;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  fake = await startFakeSlack({ socketMode: true });
  const core = createTestCore(database.store);
  adapter = createSlackAdapter({
    bot: createBot(core),
    i18n: core.i18n,
    logger: core.logger,
    botToken: 'xoxb-socket',
    appToken: 'xapp-1-socket',
    apiUrl: fake.apiUrl,
  });
  await adapter.start();
  await fake.socket.connected();
});
afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
  await database?.close();
});

describe('Slack in Socket Mode', () => {
  it('has no HTTP listener and connects with the app token', () => {
    expect(adapter.listener).toBeUndefined();
    const open = fake.callsTo('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
    expect(open[0]?.token).toBe('xapp-1-socket');
  });

  it('acknowledges a slash command envelope and answers through response_url', async () => {
    const ack = await fake.socket.send(
      'slash_commands',
      slashCommandPayload({ text: 'C0001', responseUrl: fake.responseUrl('socket') }),
    );
    expect(ack.envelope_id).toBeTruthy();
    const answer = (await fake.waitForResponse('socket')).body as {
      blocks: { type: string; text?: { text: string } }[];
    };
    expect(answer.blocks[0]?.text?.text).toBe('株式会社アクメ');
  });
});
