import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './support/process.ts';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-cli-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir, ...env }));

describe('npx creditops', () => {
  it('migrates a new data directory, then reports it up to date', async () => {
    const first = await cli(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied 1 migration(s): 20261123000000_initial_schema');
    const again = await cli(['migrate'], { DEFAULT_LOCALE: 'zh' });
    expect(again.stdout).toBe('数据库结构已是最新。\n');
  }, 60_000);

  it('seeds demo data once and refuses a second time', async () => {
    const seeded = await cli(['seed', '--demo']);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toMatch(/Demo data created: \d+ customers/);
    const again = await cli(['seed', '--demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds customers');
  }, 60_000);

  it('exits 2 with usage for unknown commands, bad flags and commands not in this version', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command “frobnicate”');
    const badFlag = await cli(['seed', '--demoo']);
    expect(badFlag.code).toBe(2);
    const seedless = await cli(['seed']);
    expect(seedless.code).toBe(2);
    expect(seedless.stderr).toContain('Usage: creditops seed --demo');
    const planned = await cli(['report', 'aging']);
    expect(planned.code).toBe(2);
    expect(planned.stderr).toContain('creditops report is not available in this version yet.');
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: creditops <command>');
  }, 60_000);
});
