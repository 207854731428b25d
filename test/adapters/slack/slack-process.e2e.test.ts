import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import {
  cleanEnv,
  finish,
  freePort,
  listeningAt,
  start,
  tempDataDir,
} from '../../support/process.ts';
import { postSigned, slashCommandBody } from '../../support/slack-requests.ts';

// `npm start` with Slack credentials: the real process, its one HTTP server, no demo data.

const SECRET = 'process-signing-secret-0123456789';
const dir = tempDataDir('creditops-slack-');
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
});

describe('npm start with Slack credentials', () => {
  it('serves Slack on the one HTTP server without demo data, and stops on SIGTERM', async () => {
    const child = start('src/main.ts', [], {
      ...cleanEnv({
        DATA_DIR: dir,
        PORT: String(await freePort()),
        SLACK_BOT_TOKEN: 'xoxb-process',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
      }),
    });
    const done = finish(child);
    const endpoint = (await listeningAt(child, '/slack/events')).replace('localhost', '127.0.0.1');
    const response = await postSigned(
      endpoint,
      slashCommandBody({ text: 'help', responseUrl: fake.responseUrl('help') }),
      { secret: SECRET },
    );
    expect(response.status).toBe(200);
    const help = JSON.stringify((await fake.waitForResponse('help', 1, 15_000)).body);
    expect(help).toContain('creditops commands');
    // No demo data in a live workspace: the demo customer does not exist.
    await postSigned(
      endpoint,
      slashCommandBody({ text: 'C0001', responseUrl: fake.responseUrl('none') }),
      { secret: SECRET },
    );
    expect(JSON.stringify((await fake.waitForResponse('none', 1, 15_000)).body)).toContain(
      'No customer matches',
    );
    const health = await fetch(endpoint.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    const finished = await done;
    expect(finished.code).toBe(0);
    expect(finished.stderr).not.toContain('demo data created');
    expect(finished.stderr).not.toContain(SECRET);
    expect(finished.stderr).not.toContain('xoxb-process');
  }, 60_000);
});
