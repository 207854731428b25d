import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLine, startFakeLine } from '../../support/fake-line.ts';
import { lineJson, sign, textEvent } from '../../support/line-bot.ts';
import {
  cleanEnv,
  finish,
  freePort,
  listeningAt,
  run,
  start,
  tempDataDir,
} from '../../support/process.ts';

// `npm start` with LINE credentials: the real process serves /line/webhook on its one HTTP
// server and answers through the SDK; `npx creditops line quota` reads the month from LINE.

const SECRET = 'process-line-channel-secret-0123';
const TOKEN = 'process-line-access-token';
const dir = tempDataDir('creditops-line-');
let fake: FakeLine;

beforeAll(async () => {
  fake = await startFakeLine(TOKEN);
});
afterAll(async () => {
  await fake?.close();
});

const env = (extra: Record<string, string> = {}) =>
  cleanEnv({
    DATA_DIR: dir,
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: fake.baseUrl,
    ...extra,
  });

describe('npm start with LINE credentials', () => {
  it('answers a signed webhook through LINE, and stops on SIGTERM', async () => {
    const child = start('src/main.ts', [], env({ PORT: String(await freePort()) }));
    const done = finish(child);
    const endpoint = (await listeningAt(child, '/line/webhook')).replace('localhost', '127.0.0.1');
    const raw = lineJson({
      destination: 'Ubot',
      events: [textEvent('/credit help', { userId: 'U0123456789abcdef', replyToken: 'rt-proc' })],
    });
    const response = await fetch(endpoint, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', 'x-line-signature': sign(raw, SECRET) },
    });
    expect(response.status).toBe(200);
    const reply = await fake.waitFor(() => fake.replies()[0], 15_000);
    expect(reply.messages[0]).toMatchObject({ type: 'flex' });
    expect(JSON.stringify(reply.messages)).toContain('creditops commands');

    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});

describe('npx creditops line quota', () => {
  it('shows the month as LINE counts it against the quota and the cap', async () => {
    fake.usedBefore = 170;
    const shown = await run('src/cli.ts', ['line', 'quota'], env({ LINE_MONTHLY_PUSH_CAP: '180' }));
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Pushes this month: 170');
    expect(shown.stdout).toContain("LINE's monthly quota: 200");
    expect(shown.stdout).toContain('Our cap (LINE_MONTHLY_PUSH_CAP): 180');
    expect(shown.stdout).toContain('Left this month: 10');
    expect(shown.stdout).toContain('Running low');

    const json = await run('src/cli.ts', ['line', 'quota', '--json'], env());
    expect(JSON.parse(json.stdout)).toMatchObject({
      used: 170,
      lineQuota: 200,
      limit: 200,
      left: 30,
    });
  });

  it('refuses a cap that is not a count, naming the variable', async () => {
    const refused = await run(
      'src/cli.ts',
      ['line', 'quota'],
      env({ LINE_MONTHLY_PUSH_CAP: 'lots' }),
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('LINE_MONTHLY_PUSH_CAP');
  });
});
