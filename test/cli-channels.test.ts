import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './support/process.ts';

// `npx creditops channels …` as an operator runs it, on a fresh embedded data directory.
let dataDir: string;
const cli = (args: string[]) => run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir }));

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-channels-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx creditops channels', () => {
  it('subscribes a Slack channel to the digest, and the list shows it', async () => {
    const added = await cli([
      'channels',
      'add',
      'slack:C123',
      '--kind',
      'digest',
      '--time',
      '08:30',
      '--tz',
      'Asia/Tokyo',
      '--locale',
      'ja',
      '--currency',
      'JPY',
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(
      'slack:C123 is subscribed to the Daily digest at 08:30 (Asia/Tokyo).\nBusiness days only · Immediate · Japanese · currency JPY\n' +
        "The bot posts it in that chat at that time (Slack, LINE or Telegram); preview today's with npx creditops digest --channel slack:C123.\n",
    );
    const listed = await cli(['channels', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        channel: 'slack:C123',
        kind: 'digest',
        localTime: '08:30',
        timeZone: 'Asia/Tokyo',
        locale: 'ja',
        businessDaysOnly: true,
        batched: false,
        filters: { currency: 'JPY' },
      },
    ]);
  }, 90_000);
});
