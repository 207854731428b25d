import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * PGlite has no lock of its own and two processes on one data directory lose data
 * silently, so every process that opens the embedded database holds this lock file.
 */
export class DataDirLockedError extends Error {
  readonly dataDir: string;
  readonly pid: number;
  readonly since: string;
  readonly holder: string;

  constructor(dataDir: string, owner: LockOwner) {
    super(`data directory ${dataDir} is held by pid ${owner.pid} (${owner.command})`);
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
    this.pid = owner.pid;
    this.since = owner.startedAt;
    this.holder = owner.command;
  }
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

const LOCK_FILE = 'creditops.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Takes the lock or throws `DataDirLockedError` naming the holder. Stale locks are taken over. */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
      };
      process.on('exit', release);
      return { path, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(path);
      const stale = holder === undefined || (holder.host === owner.host && !isAlive(holder.pid));
      if (!stale) throw new DataDirLockedError(dir, holder);
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(dir, readOwner(path) ?? owner);
}
