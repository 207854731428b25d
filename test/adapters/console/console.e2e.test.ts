import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, finish, run, start, waitForOutput } from '../../support/process.ts';

// The real process, as an operator runs it: `printf '/credit …' | npm start`.
let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-console-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with no platform credentials', () => {
  it('creates the embedded database, seeds demo data and prints the card from a pipe', async () => {
    const out = await run('src/main.ts', [], cleanEnv({ DATA_DIR: dataDir }), '/credit アクメ\n');
    expect(out.stderr).toContain('First start: demo data created');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('株式会社アクメ');
    expect(out.stdout).toContain('C0001');
    for (const label of [
      'Score / rating',
      'Credit limit',
      'Exposure',
      'Utilisation',
      'Credit phase',
      'Owner',
    ]) {
      expect(out.stdout).toContain(label);
    }
    expect(out.stdout).toContain('¥30,000,000');
    expect(out.stdout).toContain('Aging as of');
  }, 90_000);

  it('answers every line in order, in the configured language, and exits at end of input', async () => {
    const input = [
      '/credit help',
      '',
      '/credit C0005',
      '/credit ミドリ',
      '/credit lang en',
      '/credit zzqqxx',
    ].join('\n');
    const out = await run(
      'src/main.ts',
      [],
      cleanEnv({ DATA_DIR: dataDir, DEFAULT_LOCALE: 'ja' }),
      `${input}\n`,
    );
    expect(out.code).toBe(0);
    const help = out.stdout.indexOf('creditops コマンド一覧');
    const sakura = out.stdout.indexOf('株式会社さくら物産');
    const pick = out.stdout.indexOf('「ミドリ」に該当する取引先が2社あります');
    const switched = out.stdout.indexOf('Language set to English.');
    const none = out.stdout.indexOf('No customer matches “zzqqxx”');
    expect([help, sakura, pick, switched, none].every((i) => i >= 0)).toBe(true);
    expect(help < sakura && sakura < pick && pick < switched && switched < none).toBe(true);
    expect(out.stdout).toContain('🔴');
    expect(out.stderr).not.toContain('First start');
  }, 60_000);

  it('refuses a second process on a held data directory, naming the holder', async () => {
    const first = start('src/main.ts', [], cleanEnv({ DATA_DIR: dataDir }));
    const exited = finish(first);
    first.stdin.write('/credit help\n');
    await waitForOutput(first, 'creditops commands');
    const second = await run('src/main.ts', [], cleanEnv({ DATA_DIR: dataDir }), '/credit C0001\n');
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain('is in use by another creditops process (creditops start');
    const migrate = await run('src/cli.ts', ['migrate'], cleanEnv({ DATA_DIR: dataDir }));
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('is in use by another creditops process');
    first.stdin.end();
    expect((await exited).code).toBe(0);
  }, 60_000);
});

describe('start-up configuration errors', () => {
  it.each([
    [{ PORT: 'abc' }, 'Configuration error in PORT: expected a TCP port number from 1 to 65535.'],
    [
      { DEFAULT_LOCALE: 'fr' },
      'Configuration error in DEFAULT_LOCALE: expected one of en, ja, zh.',
    ],
    [
      { PORT: 'abc', DEFAULT_LOCALE: 'ja' },
      '設定エラー: PORT には1〜65535 のポート番号を指定してください。',
    ],
  ])(
    'stops with one line for %o and exit code 1',
    async (env, line) => {
      const out = await run(
        'src/main.ts',
        [],
        cleanEnv({ DATA_DIR: dataDir, ...env }),
        '/credit help\n',
      );
      expect(out.code).toBe(1);
      expect(out.stderr).toBe(`${line}\n`);
      expect(out.stdout).toBe('');
    },
    30_000,
  );
});
