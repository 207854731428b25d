import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './support/process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'creditops-cli-collections-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir, DEFAULT_TIMEZONE: 'Asia/Tokyo', ...env }));

describe('npx creditops report dunning|promises', () => {
  it('lists who is due for which dunning step, and the promises to pay, as JSON and text', async () => {
    expect((await cli(['seed', '--demo'])).code).toBe(0);

    const dunning = await cli(['report', 'dunning', '--json']);
    expect(dunning.code).toBe(0);
    const list = JSON.parse(dunning.stdout);
    const sakura = list.due.find((d: { code: string }) => d.code === 'C0005');
    expect(sakura).toMatchObject({ legalName: '株式会社さくら物産', step: 'legal' });
    expect(sakura.invoices[0]).toEqual({
      number: expect.stringMatching(/^INV-/),
      dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      daysOverdue: sakura.maxDaysOverdue,
      currency: 'JPY',
      openMinor: expect.any(Number),
    });
    // アクメ promised to pay: listed apart, with the date dunning waits for.
    expect(list.paused).toContainEqual(
      expect.objectContaining({ code: 'C0001', step: 'suspend_shipments' }),
    );
    expect(list.due.map((d: { code: string }) => d.code)).not.toContain('C0001');

    const promises = await cli(['report', 'promises', '--json']);
    expect(promises.code).toBe(0);
    const report = JSON.parse(promises.stdout);
    expect(Object.keys(report)).toEqual(['asOf', 'from', 'pending', 'kept', 'broken', 'customers']);
    const acme = report.pending.find((p: { code: string }) => p.code === 'C0001');
    expect(acme).toMatchObject({ currency: 'JPY', loggedBy: '山田 太郎' });
    expect(acme.daysLeft).toBeGreaterThan(0);
    const soonest = report.pending.map((p: { promisedOn: string }) => p.promisedOn);
    expect(soonest).toEqual([...soonest].sort());
    expect(report.kept.length + report.broken.length).toBeGreaterThan(0);

    const text = await cli(['report', 'dunning', '--currency', 'JPY'], { DEFAULT_LOCALE: 'ja' });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^督促対象一覧（\d{4}\/\d{2}\/\d{2}時点）\n/);
    expect(text.stdout).toMatch(/C0005 株式会社さくら物産 +法的措置・債権回収会社/);
    expect(text.stdout).toContain('入金約束により督促保留中');
    expect(text.stdout).not.toContain('深圳龙腾科技');
  }, 90_000);
});
