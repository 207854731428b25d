import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, run } from './support/process.ts';

// Each test runs the real command line on a data directory of its own.
const dirs: string[] = [];
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-cli-'));
  dirs.push(dataDir);
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir, ...env }));

describe('npx creditops', () => {
  it('imports a Shift_JIS export, says what it did, and reports aging as JSON', async () => {
    const sjis = join(ROOT, 'examples/data/urikake-meisai.sjis.csv');
    const mappings = join(ROOT, 'examples/mappings');
    const customers = await cli(
      ['import', 'customers', sjis, '--mapping', join(mappings, 'jp-erp-customers.json')],
      { DEFAULT_LOCALE: 'ja' },
    );
    expect(customers.code).toBe(0);
    expect(customers.stdout).toMatch(
      /^customers: 読込 12行、追加 6、更新 0、変更なし 6、不可 0（[\d.]+秒）\n$/,
    );
    const invoices = await cli([
      'import',
      'invoices',
      sjis,
      '--mapping',
      join(mappings, 'jp-erp-invoices.json'),
    ]);
    expect(invoices.stdout).toMatch(
      /^invoices: 12 rows read, 12 inserted, 0 updated, 0 unchanged, 0 rejected in [\d.]+ s\n$/,
    );
    const again = await cli([
      'import',
      'invoices',
      sjis,
      '--mapping',
      join(mappings, 'jp-erp-invoices.json'),
    ]);
    expect(again.stdout).toContain('0 inserted, 0 updated, 12 unchanged, 0 rejected');
    expect(again.stdout).toContain('(nothing changed)');
    const report = await cli(['report', 'aging', '--as-of', '2026-11-23', '--json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({
      asOf: '2026-11-23',
      currency: 'JPY',
      totalMinor: 13_941_921,
    });
  }, 60_000);

  it('exits 1 and writes nothing when rows are bad, naming line and column', async () => {
    const customers = join(dataDir, 'customers.csv');
    writeFileSync(customers, 'code,legalName,country,currency\nT1001,株式会社アクメ,JP,JPY\n');
    expect((await cli(['import', 'customers', customers])).code).toBe(0);
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(
      bad,
      'externalId,customerCode,issuedOn,amount\nX-1,T1001,2026-11-01,1000\nX-2,T1001,2026-11-31,1000\n',
    );
    const out = await cli(['import', 'invoices', bad]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'line 3, column issuedOn: “2026-11-31” is not a date in the format YYYY-MM-DD.',
    );
    expect(out.stdout).toContain('(nothing was written');
    const skipped = await cli(['import', 'invoices', bad, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('1 inserted');
    expect(skipped.stdout).toContain(`${bad}.rejects.csv (1)`);
  }, 60_000);

  it('migrates a new data directory, then reports it up to date', async () => {
    const first = await cli(['migrate']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): 20261123000000_initial_schema, /);
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

  it('exits 2 with usage for unknown commands and bad flags', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command “frobnicate”');
    const badFlag = await cli(['seed', '--demoo']);
    expect(badFlag.code).toBe(2);
    const seedless = await cli(['seed']);
    expect(seedless.code).toBe(2);
    expect(seedless.stderr).toContain('Usage: creditops seed --demo');
    const channelless = await cli(['digest']);
    expect(channelless.code).toBe(2);
    const kind = await cli(['import', 'widgets', 'x.csv']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain(
      'Usage: creditops import <customers|invoices|payments|orders|credit-reports|events>',
    );
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: creditops <command>');
  }, 60_000);
});
