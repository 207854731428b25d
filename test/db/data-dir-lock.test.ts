import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../../src/db/data-dir-lock.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'creditops-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe(acquireDataDirLock.name, () => {
  it('lets one holder in and names it to the next', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir, 'creditops start');
    let refused: unknown;
    try {
      acquireDataDirLock(dir, 'creditops migrate');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect(refused).toMatchObject({ pid: process.pid, holder: 'creditops start' });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    acquireDataDirLock(dir, 'creditops migrate').release();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const dir = tempDir();
    const path = join(dir, 'creditops.lock');
    writeFileSync(
      path,
      JSON.stringify({
        pid: 2 ** 22 + 17,
        host: hostname(),
        startedAt: '2026-01-01T00:00:00Z',
        command: 'crashed',
      }),
    );
    const lock = acquireDataDirLock(dir, 'creditops start');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('does not take over a lock held on another host sharing the directory', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'creditops.lock'),
      JSON.stringify({
        pid: 1,
        host: 'other-host',
        startedAt: '2026-01-01T00:00:00Z',
        command: 'creditops start',
      }),
    );
    expect(() => acquireDataDirLock(dir, 'creditops start')).toThrow(DataDirLockedError);
  });
});
