import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlackBot, startSlackBot } from '../../support/slack-bot.ts';
import { nowSec, slashCommandBody } from '../../support/slack-requests.ts';

// Nothing reaches the core unless Slack signed it, recently.

let slack: SlackBot;

beforeAll(async () => {
  slack = await startSlackBot({ base: 'demo' });
  await slack.database.store.users.create({
    identity: { platform: 'slack', externalId: 'U-COLLECT' },
    displayName: 'Collector',
    role: 'collector',
  });
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.fake.reset());

async function footprint() {
  const count = async (
    table: 'contacts' | 'users' | 'audit_log' | 'action_tokens' | 'inbound_events',
  ) =>
    Number(
      (
        await slack.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    contacts: await count('contacts'),
    users: await count('users'),
    audit: await count('audit_log'),
    tokens: await count('action_tokens'),
    inbound: await count('inbound_events'),
  };
}

const logBody = () =>
  slashCommandBody({
    text: 'log C0001 call reached forged?',
    userId: 'U-COLLECT',
    responseUrl: slack.fake.responseUrl('sec'),
  });

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe('Slack request verification', () => {
  it('answers 401 to a forged signature and writes nothing', async () => {
    const before = await footprint();
    const response = await slack.post(logBody(), { forgeSignature: true });
    expect(response.status).toBe(401);
    await settle();
    expect(await footprint()).toEqual(before);
    expect(slack.fake.responses).toEqual([]);
    // Only Bolt's own start-up check of the bot token may have reached Slack.
    expect(slack.fake.calls.filter((call) => call.method !== 'auth.test')).toEqual([]);
  });

  it('answers 401 to a request signed more than 5 minutes ago (a replay)', async () => {
    const before = await footprint();
    const response = await slack.post(logBody(), { timestamp: nowSec() - 301 });
    expect(response.status).toBe(401);
    await settle();
    expect(await footprint()).toEqual(before);
    expect(slack.fake.responses).toEqual([]);
  });

  it('answers 401 to an unsigned request', async () => {
    const response = await fetch(slack.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: logBody(),
    });
    expect(response.status).toBe(401);
  });

  it('echoes the challenge of Slack’s URL verification', async () => {
    const response = await slack.post(
      JSON.stringify({ token: 't', challenge: 'c-12345', type: 'url_verification' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('c-12345');
  });

  it('leaves the rest of the server alone: health still answers beside Slack', async () => {
    const response = await fetch(`${slack.baseUrl}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe('when the Slack Web API fails', () => {
  it('answers with the typed form when the modal cannot be opened (rate limited)', async () => {
    slack.fake.failNext('views.open', { kind: 'rate_limited', retryAfter: 1 });
    await slack.slash('log C0001', { userId: 'U-COLLECT', responseId: 'typed' });
    const answer = JSON.stringify((await slack.fake.waitForResponse('typed')).body);
    expect(answer).toContain('/credit log C0001 call reached');
  });

  it('answers with the typed form when Slack refuses the trigger (ok:false)', async () => {
    slack.fake.failNext('views.open', { kind: 'ok_false', error: 'expired_trigger_id' });
    await slack.slash('log C0001', { userId: 'U-COLLECT', responseId: 'typed2' });
    const answer = JSON.stringify((await slack.fake.waitForResponse('typed2')).body);
    expect(answer).toContain('/credit log C0001');
  });

  it('still answers in the default language when users.info fails with 500', async () => {
    slack.fake.failNext('users.info', { kind: 'server_error' });
    slack.fake.failNext('users.info', { kind: 'server_error' });
    slack.fake.failNext('users.info', { kind: 'server_error' });
    await slack.slash('C0001', { userId: 'U-FLAKY', responseId: 'flaky' });
    const answer = JSON.stringify((await slack.fake.waitForResponse('flaky')).body);
    expect(answer).toContain('Credit limit');
  });
});
