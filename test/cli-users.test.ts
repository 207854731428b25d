import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './support/process.ts';

// `npx creditops users …` as an operator runs it, on a fresh embedded data directory.
let dataDir: string;
const cli = (args: string[]) => run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir }));

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-users-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx creditops users', () => {
  it('adds a Slack user with a role, and the list shows them', async () => {
    const added = await cli([
      'users',
      'add',
      'slack:U123',
      '--role',
      'credit_manager',
      '--name',
      'Aiko Tanaka',
    ]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Added Aiko Tanaka (slack:U123) as Credit manager.\n');
    const listed = await cli(['users', 'list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines[0]).toMatch(/^Identity\s+Name\s+Role\s+Language$/);
    expect(lines[2]).toMatch(/^slack:U123\s+Aiko Tanaka\s+Credit manager\s+not set$/);
    expect(lines[3]).toBe('1 user');
  }, 90_000);

  it('exits 1 with the reason on an unknown role and 2 with the usage on missing arguments', async () => {
    const bad = await cli(['users', 'add', 'slack:U124', '--role', 'boss']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      '“boss” is not a creditops role. Use one of: viewer, sales, collector, credit_manager, director, admin.',
    );
    const missing = await cli(['users', 'add', 'slack:U124']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: creditops users add <platform:id> --role <role>');
  }, 60_000);
});
