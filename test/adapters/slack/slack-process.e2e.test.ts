import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import { cleanEnv, finish, start } from '../../support/process.ts';
import { postSigned, slashCommandBody } from '../../support/slack-requests.ts';

// `npm start` with Slack credentials: the real process, its one HTTP server, no demo data.

const SECRET = 'process-signing-secret-0123456789';
let fake: FakeSlack;
let dir: string;

beforeAll(async () => {
  fake = await startFakeSlack();
  dir = mkdtempSync(join(tmpdir(), 'creditops-slack-'));
});
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function listening(child: ReturnType<typeof start>): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (d: Buffer) => {
      seen += d.toString();
      const url = /(http:\/\/\S+\/slack\/events)/.exec(seen)?.[1];
      if (url) resolve(url);
    });
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${seen}`)));
  });
}

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
    const endpoint = (await listening(child)).replace('localhost', '127.0.0.1');
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
