import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign as lineSign, textEvent } from '../support/line-bot.ts';
import { postOversized } from '../support/oversized-body.ts';
import { nowSec, signedHeaders, slashCommandBody } from '../support/slack-requests.ts';
import { messageUpdate, privateChat } from '../support/telegram-bot.ts';
import { CAST, CAST_SEED } from './support/cast.ts';
import { LINE_PATH, SLACK_PATH, TELEGRAM_PATH } from './support/doors.ts';
import { fingerprint } from './support/engine.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// Requests no platform sent — forged, unsigned, stale or re-used signatures, wrong secrets and
// tokens — are refused before anything is parsed; bodies over a route's limit get 413 and
// malformed ones 400. Each request carries a change (a contact, a customer) that would be
// written had it got through; at the end nothing in the database has changed, nobody was
// answered, and the process still serves.

let bot: ReliabilityBot;
let before: Record<string, string>;
const { collector } = CAST;

beforeAll(async () => {
  bot = await startBot({ seed: CAST_SEED });
  before = await bot.read((db) => fingerprint(db));
});
afterAll(async () => {
  await bot?.close();
});

const logContact = (note: string) => `log C001 call reached ${note}`;
const slackLog = (note: string) =>
  slashCommandBody({
    text: logContact(note),
    userId: collector.slack,
    responseUrl: bot.fakes.slack.responseUrl(note),
  });
const lineLog = (note: string) =>
  JSON.stringify({
    destination: 'Ubot0000',
    events: [textEvent(`/credit ${logContact(note)}`, { userId: collector.line })],
  });
const telegramLog = (note: string) =>
  messageUpdate({
    text: `/credit ${logContact(note)}`,
    from: collector.telegram,
    chat: privateChat(collector.telegram),
  });
const newCustomer = {
  items: [{ code: 'C999', legalName: 'Forged KK', country: 'JP', currency: 'JPY' }],
};

describe('requests the platform did not sign', () => {
  it('Slack: a forged, a missing, a stale and a re-used signature get 401', async () => {
    const raw = slackLog('forged');
    expect((await bot.slack.post(raw, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await bot.slack.post(raw, { secret: null })).status).toBe(401);
    // Signed correctly, but more than five minutes ago: a captured request played back.
    expect((await bot.slack.post(raw, { timestamp: nowSec() - 6 * 60 })).status).toBe(401);
    // A genuine signature and timestamp lifted onto another body.
    const genuine = signedHeaders(bot.secrets.slackSigningSecret, slackLog('genuine'));
    const reused = await fetch(`${bot.baseUrl}${SLACK_PATH}`, {
      method: 'POST',
      headers: genuine,
      body: slackLog('reused'),
    });
    expect(reused.status).toBe(401);
    // A version other than v0 is not Slack's.
    const v1 = {
      ...genuine,
      'x-slack-signature': genuine['x-slack-signature']?.replace('v0=', 'v1=') ?? '',
    };
    const versioned = await fetch(`${bot.baseUrl}${SLACK_PATH}`, {
      method: 'POST',
      headers: v1,
      body: slackLog('genuine'),
    });
    expect(versioned.status).toBe(401);
  });

  it('LINE: a forged, a missing, a malformed and a re-used signature get 401', async () => {
    const raw = lineLog('forged');
    expect(
      (await bot.line.post(raw, { signature: lineSign(raw, 'another-channel-secret') })).status,
    ).toBe(401);
    expect((await bot.line.post(raw, { signature: null })).status).toBe(401);
    expect((await bot.line.post(raw, { signature: '%%% not base64 %%%' })).status).toBe(401);
    const genuine = lineSign(lineLog('genuine'), bot.secrets.lineChannelSecret);
    expect((await bot.line.post(lineLog('reused'), { signature: genuine })).status).toBe(401);
  });

  it('Telegram: a wrong, a missing and another credential as the secret get 401', async () => {
    const update = telegramLog('forged');
    expect((await bot.telegram.post(update, { secret: 'not-the-webhook-secret' })).status).toBe(
      401,
    );
    expect((await bot.telegram.post(update, { secret: null })).status).toBe(401);
    expect(
      (await bot.telegram.post(update, { secret: bot.secrets.lineChannelSecret })).status,
    ).toBe(401);
    const almost = `${bot.secrets.telegramWebhookSecret.slice(0, -1)}_`;
    expect((await bot.telegram.post(update, { secret: almost })).status).toBe(401);
  });

  it('REST: no token, a wrong one and other schemes get 401, for reads and writes', async () => {
    const attempts = [
      bot.api('/customers', { token: null, body: newCustomer }),
      bot.api('/customers', { token: { raw: 'not-a-configured-token-1234' }, body: newCustomer }),
      bot.api('/customers', {
        token: { raw: `${bot.secrets.apiTokens.ledger}x` },
        body: newCustomer,
      }),
      bot.api('/customers', { token: { raw: '' }, body: newCustomer }),
      bot.api('/customers', {
        token: null,
        body: newCustomer,
        headers: {
          authorization: `Basic ${Buffer.from(`ledger:${bot.secrets.apiTokens.ledger}`).toString('base64')}`,
        },
      }),
      bot.api('/customers/C001', { token: null }),
      bot.api('/aging', { token: { raw: 'not-a-configured-token-1234' } }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="creditops"/);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('bodies over the limit', () => {
  const url = (path: string) => `${bot.baseUrl}${path}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const json = { 'content-type': 'application/json' };

  it('Slack: over 64 KB gets 413, signed or not', async () => {
    const raw = `${slackLog('big')}&filler=${'a'.repeat(70 * 1024)}`;
    expect((await bot.slack.post(raw)).status).toBe(413);
    const unsigned = await postOversized(url(SLACK_PATH), { bytes: 200 * 1024, headers: form });
    expect(unsigned.status).toBe(413);
  });

  it('LINE: over 1 MB gets 413, with and without a Content-Length', async () => {
    const headers = { ...json, 'x-line-signature': 'irrelevant' };
    expect((await postOversized(url(LINE_PATH), { bytes: 1024 * 1024 + 1, headers })).status).toBe(
      413,
    );
    const chunked = await postOversized(url(LINE_PATH), {
      bytes: 2 * 1024 * 1024,
      headers,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
  });

  it('Telegram: over 256 KB gets 413, with and without a Content-Length', async () => {
    const headers = {
      ...json,
      'x-telegram-bot-api-secret-token': bot.secrets.telegramWebhookSecret,
    };
    const prefix = '{"update_id":1,"filler":"';
    expect(
      (await postOversized(url(TELEGRAM_PATH), { bytes: 256 * 1024 + 1, headers, prefix })).status,
    ).toBe(413);
    const chunked = await postOversized(url(TELEGRAM_PATH), {
      bytes: 512 * 1024,
      headers,
      prefix,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    // Without the secret the size does not matter: 401 before the body is looked at.
    const stranger = await postOversized(url(TELEGRAM_PATH), { bytes: 512 * 1024, headers: json });
    expect(stranger.status).toBe(401);
  });

  it('REST: over 5 MB gets 413 with a token, 401 without one', async () => {
    const headers = { ...json, authorization: `Bearer ${bot.secrets.apiTokens.ledger}` };
    const prefix = '{"items":[';
    const size = 5 * 1024 * 1024 + 1;
    expect(
      (await postOversized(url('/api/v1/customers'), { bytes: size, headers, prefix })).status,
    ).toBe(413);
    const chunked = await postOversized(url('/api/v1/customers'), {
      bytes: size,
      headers,
      prefix,
      chunked: true,
    });
    expect(chunked.status).toBe(413);
    const stranger = await postOversized(url('/api/v1/customers'), {
      bytes: size,
      headers: json,
      prefix,
    });
    expect(stranger.status).toBe(401);
  });
});

describe('malformed bodies', () => {
  it('Slack: signed JSON and form bodies that do not parse get 400', async () => {
    expect(
      (await bot.slack.post('{"type": "event_callback", ', { contentType: 'application/json' }))
        .status,
    ).toBe(400);
    expect((await bot.slack.post('payload=%7B%22type%22%3A%20bro', {})).status).toBe(400);
  });

  it('LINE: signed bodies that are not a webhook get 400', async () => {
    for (const raw of ['not json at all', '{"destination":"Ubot0000","events":{}}', 'null', '[]']) {
      expect((await bot.line.post(raw)).status, raw).toBe(400);
    }
  });

  it('Telegram: bodies that are not an update get 400', async () => {
    for (const body of [
      '{"update_id": 1, ',
      '[]',
      'null',
      '{"update_id":"1"}',
      '{"update_id":1.5}',
    ]) {
      expect((await bot.telegram.post(undefined, { body })).status, body).toBe(400);
    }
  });

  it('REST: JSON that does not parse gets 400, a form 415, a body without items 422', async () => {
    const broken = await bot.api('/customers', { body: '{"items": [{"code": "C998",' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({
      type: 'https://creditops.dev/problems/malformed-json',
    });
    const asForm = await bot.api('/customers', {
      body: 'code=C998',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(asForm.status).toBe(415);
    expect((await bot.api('/customers', { body: { items: 'C998' } })).status).toBe(422);
  });
});

describe('what was refused', () => {
  it('logged no error: a refusal is a warning at most', () => {
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
  });
});

describe('signed bodies no platform sends', () => {
  // Only a holder of the secret can send these; a bug or a platform change might. The bot
  // must shrug them off: no crash, no write, no half-done work. (It may log them as errors:
  // they are the platform's or our own mistake, and someone should look.)

  it('LINE: events of the wrong shape are dropped', async () => {
    const odd = [
      null,
      5,
      'text',
      {},
      { type: 'message' },
      { type: 'message', mode: 'active', source: { type: 'user' } },
      { type: 'message', mode: 'active', source: { type: 'user', userId: collector.line } },
      {
        type: 'message',
        mode: 'active',
        source: { type: 'user', userId: collector.line },
        message: { type: 'text', text: 42 },
        replyToken: 'rt-odd',
        webhookEventId: 'odd-1',
      },
      { type: 'postback', mode: 'active', source: { type: 'user', userId: collector.line } },
    ];
    for (const event of odd) {
      const raw = JSON.stringify({ destination: 'Ubot0000', events: [event] });
      expect((await bot.line.post(raw)).status, raw).toBeLessThan(500);
    }
  });

  it('Telegram: updates of the wrong shape are dropped', async () => {
    const odd = [
      { update_id: 900_001 },
      { update_id: 900_002, message: null },
      { update_id: 900_003, message: { text: 5 } },
      { update_id: 900_004, message: { text: '/credit log C001 call reached odd', chat: {} } },
      { update_id: 900_005, callback_query: { data: 'x' } },
      { update_id: 900_006, callback_query: { id: 'q', from: {}, data: 'x', message: {} } },
    ];
    for (const update of odd) {
      expect((await bot.telegram.post(update)).status, JSON.stringify(update)).toBeLessThan(500);
    }
  });

  it('Slack: payloads of the wrong shape are dropped', async () => {
    const payloads = [
      { type: 'block_actions' },
      {
        type: 'block_actions',
        user: { id: collector.slack },
        actions: [{ action_id: 'co_act_1' }],
      },
      {
        type: 'view_submission',
        user: { id: collector.slack },
        view: {
          id: 'V1',
          callback_id: 'co_form',
          private_metadata: 'not json',
          state: { values: {} },
        },
      },
    ];
    for (const payload of payloads) {
      expect((await bot.slack.interaction(payload)).status, JSON.stringify(payload)).toBeLessThan(
        500,
      );
    }
    // A form whose metadata is not what the bot wrote (forged, or a modal of another release)
    // is closed at once with a plain acknowledgement.
    for (const privateMetadata of [
      '',
      '{}',
      '{"formId":"contact"}',
      '{"formId":"x","context":"C001"}',
    ]) {
      const submission = {
        type: 'view_submission',
        user: { id: collector.slack },
        view: {
          id: 'V2',
          callback_id: 'co_form',
          private_metadata: privateMetadata,
          state: { values: {} },
        },
      };
      const answer = await bot.slack.interaction(submission);
      expect(answer.status, privateMetadata).toBe(200);
    }
    const bare = new URLSearchParams({ command: '/credit', text: logContact('bare') }).toString();
    expect((await bot.slack.post(bare)).status).toBeLessThan(500);
  });
});

describe('after all of it', () => {
  it('wrote nothing, answered nobody and still serves', async () => {
    // The work behind an accepted webhook runs after its answer: give it time to show.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bot.fakes.slack.responses).toEqual([]);
    expect(bot.fakes.slack.calls.filter((c) => /^(chat|views|files)\./.test(c.method))).toEqual([]);
    expect(bot.fakes.line.delivered).toEqual([]);
    expect(bot.fakes.telegram.callsTo('sendMessage')).toEqual([]);
    expect(bot.running()).toBe(true);
    expect(await bot.healthz()).toBe(200);
    expect(await bot.read((db) => fingerprint(db))).toEqual(before);
    // Each stop for an embedded read was a SIGTERM, and each ended cleanly.
    expect(bot.exits.filter((e) => e.code !== 0)).toEqual([]);
  });

  it('logged no token, signing secret or API key', () => {
    expect(bot.leakedSecrets()).toEqual([]);
  });
});
