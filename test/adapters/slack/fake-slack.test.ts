import type { AddressInfo } from 'node:net';
import { App, verifySlackRequest } from '@slack/bolt';
import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import {
  appHomeOpenedEvent,
  blockActionsBody,
  datepickerValue,
  eventCallbackBody,
  postSigned,
  slackSignature,
  slashCommandBody,
  slashCommandPayload,
  staticSelectValue,
  viewSubmissionBody,
} from '../../support/slack-requests.ts';

// The fake is only worth something if the real SDK cannot tell it from Slack, so every check here
// goes through @slack/web-api or @slack/socket-mode over real HTTP and WebSocket connections.

const TOKEN = 'xoxb-test';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

/** The SDK's coded error, so a test can assert on what an adapter would see. */
async function failure(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Record<string, unknown>;
}

describe('fake Slack Web API', () => {
  it('records chat.postMessage with its blocks parsed back into objects and the bot token', async () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: '*ACME* limit ¥30,000,000' } },
    ];
    const first = await client.chat.postMessage({ channel: 'C0001', text: 'ACME', blocks });
    const second = await client.chat.postMessage({ channel: 'C0001', text: 'again' });

    const call = await fake.waitForCall('chat.postMessage');
    expect(call.args).toMatchObject({ channel: 'C0001', text: 'ACME', blocks });
    expect(call.token).toBe(TOKEN);
    expect(first).toMatchObject({ ok: true, channel: 'C0001', message: { text: 'ACME', blocks } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it('answers auth.test as the bot user of the Acme workspace', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      team: 'Acme',
      user: 'creditops',
      team_id: 'T0001',
      user_id: 'UBOT',
      bot_id: 'BBOT',
    });
  });

  it('answers users.info with the locale given to setUser, en-US for strangers, none if unset', async () => {
    fake.setUser('U_JA', { locale: 'ja-JP', realName: '山田 太郎' });
    fake.setUser('U_NONE', { locale: undefined });

    const ja = await client.users.info({ user: 'U_JA', include_locale: true });
    const stranger = await client.users.info({ user: 'U_OTHER', include_locale: true });
    const none = await client.users.info({ user: 'U_NONE', include_locale: true });

    expect(ja.user).toMatchObject({ id: 'U_JA', real_name: '山田 太郎', locale: 'ja-JP' });
    expect(ja.user?.tz).toBe('Asia/Tokyo');
    expect(stranger.user?.locale).toBe('en-US');
    expect(none.user).not.toHaveProperty('locale');
  });

  it('leaves the locale out when users.info is not asked for it, as Slack does', async () => {
    fake.setUser('U_JA', { locale: 'ja-JP' });
    const info = await client.users.info({ user: 'U_JA' });
    expect(info.user).not.toHaveProperty('locale');
  });

  it('returns the view it was sent from views.open, with an id and hash', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'promise',
      title: { type: 'plain_text' as const, text: 'Promise' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '1.2.3', view });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'promise' });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.hash).toBeTruthy();
    expect((await fake.waitForCall('views.open')).args.view).toEqual(view);
  });

  it('makes the next call fail with ok:false, which the SDK turns into a platform error', async () => {
    fake.failNext('chat.postMessage', { kind: 'ok_false', error: 'channel_not_found' });

    const error = await failure(client.chat.postMessage({ channel: 'C404', text: 'x' }));
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.code).toBe('slack_webapi_platform_error');
    expect(error.data).toMatchObject({ ok: false, error: 'channel_not_found' });
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({
      status: 200,
      error: 'channel_not_found',
    });

    // Only the next call fails.
    await expect(client.chat.postMessage({ channel: 'C0001', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('answers 429 with Retry-After, which the SDK reports when told to reject rate-limited calls', async () => {
    fake.failNext('chat.update', { kind: 'rate_limited', retryAfter: 1 });
    const error = await failure(client.chat.update({ channel: 'C0001', ts: '1.2', text: 'x' }));
    expect(error.code).toBe('slack_webapi_rate_limited_error');
    expect(error.retryAfter).toBe(1);
    expect(fake.callsTo('chat.update')[0]?.status).toBe(429);
  });

  it('answers 500, which the SDK reports as an HTTP error', async () => {
    fake.failNext('chat.postMessage', { kind: 'server_error' });
    const error = await failure(client.chat.postMessage({ channel: 'C0001', text: 'x' }));
    expect(error.code).toBe('slack_webapi_http_error');
    expect(error.statusCode).toBe(500);
  });

  it('holds back a call given to delayNext', async () => {
    fake.delayNext('auth.test', 120);
    const started = Date.now();
    await client.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('records JSON posted to a response_url and can refuse the next one', async () => {
    const post = (body: object) =>
      fetch(fake.responseUrl('r1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const ok = await post({ text: 'done', replace_original: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok');
    expect((await fake.waitForResponse('r1')).body).toEqual({
      text: 'done',
      replace_original: true,
    });

    fake.failNextResponse(404);
    expect((await post({ text: 'late' })).status).toBe(404);
  });

  it('gives up waiting with a message that lists what was recorded', async () => {
    await client.auth.test();
    fake.failNext('chat.postMessage', { kind: 'ok_false', error: 'not_in_channel' });
    await failure(client.chat.postMessage({ channel: 'C9', text: 'x' }));

    const waiting = fake.waitForCall('chat.update', 1, 50);
    await expect(waiting).rejects.toThrow(/timed out after 50 ms waiting for chat\.update call #1/);
    await expect(fake.waitForResponse('r9', 1, 20)).rejects.toThrow(
      'calls so far: [auth.test, chat.postMessage(not_in_channel)]',
    );
  });
});

describe('slack-requests signing', () => {
  const secret = 'signing-secret';
  const body = slashCommandBody({ text: 'ACME', responseUrl: 'http://127.0.0.1:1/response_url/1' });

  it('signs a request the way Bolt verifies it', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'x-slack-signature': slackSignature(secret, body, timestamp),
      'x-slack-request-timestamp': timestamp,
    };
    expect(() => verifySlackRequest({ signingSecret: secret, body, headers })).not.toThrow();
    const payload = blockActionsBody({
      userId: 'U1',
      channelId: 'C1',
      actionId: 'approve',
      value: 'ap:1',
      responseUrl: 'http://x/response_url/2',
    });
    const signed = { ...headers, 'x-slack-signature': slackSignature(secret, payload, timestamp) };
    expect(() =>
      verifySlackRequest({ signingSecret: secret, body: payload, headers: signed }),
    ).not.toThrow();
  });

  it('is rejected by Bolt when the timestamp is six minutes old', () => {
    const timestamp = Math.floor(Date.now() / 1000) - 6 * 60;
    const headers = {
      'x-slack-signature': slackSignature(secret, body, timestamp),
      'x-slack-request-timestamp': timestamp,
    };
    expect(() => verifySlackRequest({ signingSecret: secret, body, headers })).toThrow(/stale/);
  });
});

describe('slack-requests against a real Bolt app', () => {
  const secret = 'bolt-secret';
  let app: App;
  let endpoint: string;
  const seen: string[] = [];

  beforeAll(async () => {
    app = new App({
      token: TOKEN,
      signingSecret: secret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/credit', async ({ ack, respond, command }) => {
      await ack();
      await respond({ text: `looked up ${command.text} for ${command.user_id}` });
    });
    app.action('approve', async ({ ack, respond, body }) => {
      await ack();
      await respond({ replace_original: true, text: `approved by ${body.user.id}` });
    });
    app.view('promise', async ({ ack, view }) => {
      const values = view.state.values;
      seen.push(`${view.private_metadata} ${values.due?.date?.selected_date}`);
      seen.push(`${values.kind?.pick?.selected_option?.value}`);
      await ack();
    });
    app.event('app_home_opened', async ({ event, context }) => {
      seen.push(`home ${event.user} retry ${context.retryNum} ${context.retryReason}`);
    });
    const server = await app.start(0);
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
  });

  it('delivers a signed slash command whose respond() reaches the fake response_url', async () => {
    const body = slashCommandBody({
      text: 'ACME',
      userId: 'U7',
      responseUrl: fake.responseUrl('c1'),
    });
    expect((await postSigned(endpoint, body, { secret })).status).toBe(200);
    expect((await fake.waitForResponse('c1')).body).toEqual({ text: 'looked up ACME for U7' });
  });

  it('delivers a button click that can replace the original message', async () => {
    const body = blockActionsBody({
      userId: 'U7',
      channelId: 'C1',
      actionId: 'approve',
      value: 'ap:1',
      responseUrl: fake.responseUrl('a1'),
    });
    expect((await postSigned(endpoint, body, { secret })).status).toBe(200);
    expect((await fake.waitForResponse('a1')).body).toEqual({
      replace_original: true,
      text: 'approved by U7',
    });
  });

  it('delivers a modal submission and an Events API retry with their values', async () => {
    const submission = viewSubmissionBody({
      userId: 'U7',
      callbackId: 'promise',
      privateMetadata: 'inv:42',
      values: {
        due: { date: datepickerValue('2026-12-05') },
        kind: { pick: staticSelectValue('full', 'Full payment') },
      },
    });
    expect((await postSigned(endpoint, submission, { secret })).status).toBe(200);
    const event = eventCallbackBody({ event: appHomeOpenedEvent('U7') });
    const retry = { secret, retryNum: 1, retryReason: 'http_timeout' };
    expect((await postSigned(endpoint, event, retry)).status).toBe(200);
    await fake.waitFor(() => seen.length === 3, 2000, 'the Bolt listeners');
    expect(seen).toEqual(['inv:42 2026-12-05', 'full', 'home U7 retry 1 http_timeout']);
  });

  it('is refused by Bolt when forged (401) or sent with a charset (400)', async () => {
    const body = slashCommandBody({ text: 'ACME', responseUrl: fake.responseUrl('x') });
    expect((await postSigned(endpoint, body, { secret, forgeSignature: true })).status).toBe(401);
    const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
    expect((await postSigned(endpoint, body, { secret, contentType })).status).toBe(400);
  });
});

describe('fake Slack Socket Mode', () => {
  it('greets a real SocketModeClient and hands back the ack it sends for a slash command', async () => {
    const socketFake = await startFakeSlack({ socketMode: true });
    const socketClient = new SocketModeClient({
      appToken: 'xapp-test',
      clientOptions: { slackApiUrl: socketFake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    const received: unknown[] = [];
    socketClient.on('slash_commands', async ({ ack, body }) => {
      received.push(body);
      await ack({ text: 'hi' });
    });
    try {
      await socketClient.start();
      await socketFake.socket.connected();
      expect((await socketFake.waitForCall('apps.connections.open')).token).toBe('xapp-test');

      const payload = slashCommandPayload({
        text: 'ACME',
        responseUrl: socketFake.responseUrl('s1'),
      });
      const ack = await socketFake.socket.send('slash_commands', payload);

      expect(ack).toEqual({ envelope_id: expect.any(String), payload: { text: 'hi' } });
      expect(received).toEqual([payload]);
    } finally {
      await socketClient.disconnect();
      await socketFake.close();
    }
  });

  it('refuses to send when Socket Mode was not started', async () => {
    await expect(fake.socket.send('events_api', {})).rejects.toThrow(/socketMode: true/);
  });
});
