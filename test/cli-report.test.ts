import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './support/process.ts';

// The real command line on a demo data directory of its own: `report kpi` and
// `report customer`, as an operator runs them.

const dataDir = mkdtempSync(join(tmpdir(), 'creditops-cli-report-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir, ...env }));

describe('npx creditops report kpi | customer | aging', () => {
  it('reports KPIs as JSON, answers a vague customer name with a pick list, ages by the policy', async () => {
    expect((await cli(['seed', '--demo'])).code).toBe(0);

    const kpi = await cli(['report', 'kpi', '--json']);
    expect(kpi.code).toBe(0);
    const reports = JSON.parse(kpi.stdout);
    expect(reports.map((r: { currency: string }) => r.currency)).toEqual(['CNY', 'JPY', 'USD']);
    for (const r of reports) {
      expect(r.dso.simple).toBeGreaterThan(0);
      expect(Number.isInteger(r.inputs.arMinor)).toBe(true);
      expect(r.inputs.arMinor).toBe(r.inputs.currentArMinor + r.inputs.overdueArMinor);
      // One decimal at most, as a JSON number.
      expect(String(r.dso.simple)).toMatch(/^\d+(\.\d)?$/);
    }

    const pick = await cli(['report', 'customer', 'ミドリ'], { DEFAULT_LOCALE: 'ja' });
    expect(pick.code).toBe(1);
    expect(pick.stderr).toContain('「ミドリ」に該当する取引先が2社あります');
    expect(pick.stderr).toContain('creditops report customer C0009');

    const nameless = await cli(['report', 'customer']);
    expect(nameless.code).toBe(2);

    // The aging report buckets by the policy's edges and shows disputed invoices apart.
    const policyDir = join(dataDir, 'policy');
    mkdirSync(policyDir);
    writeFileSync(join(policyDir, 'aging.json'), '{ "version": "test", "edges": [45] }');
    const aging = await cli(['report', 'aging'], { POLICY_DIR: policyDir });
    expect(aging.code).toBe(0);
    expect(aging.stdout).toMatch(/Current\s+1–45 days\s+46\+ days\s+Total/);
    expect(aging.stdout).toContain('Disputed, kept out of the buckets:');
  }, 90_000);
});
