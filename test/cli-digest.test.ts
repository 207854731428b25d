import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CHART_SIZE } from '../src/io/aging-chart.ts';
import { cleanEnv, run } from './support/process.ts';

// The real command line on a demo data directory of its own, as an operator previews a digest.

const dataDir = mkdtempSync(join(tmpdir(), 'creditops-cli-digest-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir, ...env }));

describe('npx creditops digest', () => {
  it('prints the digest of a channel in its language and says it sent nothing', async () => {
    expect((await cli(['seed', '--demo'])).code).toBe(0);

    const json = await cli(['digest', '--channel', 'console:ops', '--dry-run', '--json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.sent).toBe(false);
    expect(out.digest.positions.map((p: { currency: string }) => p.currency)).toEqual([
      'CNY',
      'JPY',
      'USD',
    ]);
    for (const p of out.digest.positions) {
      expect(p.exposureMinor).toBe(p.aging.totalMinor);
      expect(p.vsPreviousBusinessDay).toBeUndefined();
    }

    const text = await cli(['digest', '--channel', 'console:ops', '--dry-run'], {
      DEFAULT_LOCALE: 'ja',
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('売掛金残高');
    expect(text.stdout.trim().split('\n').at(-1)).toBe(
      '表示のみで、配信はしていません。各チャンネルへの配信はボットがそれぞれの配信時刻に行います。',
    );
  }, 90_000);

  it('writes the aging chart PNG to the file named with --chart', async () => {
    const file = join(dataDir, 'aging.png');
    const text = await cli(['digest', '--channel', 'console:ops', '--dry-run', '--chart', file], {
      DEFAULT_LOCALE: 'ja',
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`エイジングのグラフを ${file} に書き出しました。`);
    const image = PNG.sync.read(readFileSync(file));
    expect([image.width, image.height]).toEqual([
      CHART_SIZE.width * CHART_SIZE.scale,
      CHART_SIZE.height * CHART_SIZE.scale,
    ]);

    const json = await cli([
      'digest',
      '--channel',
      'console:ops',
      '--dry-run',
      '--json',
      '--chart',
      file,
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).chart).toBe(file);
  }, 90_000);
});
