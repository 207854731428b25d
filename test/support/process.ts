import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The environment of a bot with no platform credentials and no database server. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      /^(SLACK|LINE|TELEGRAM|API_TOKENS|DATABASE_URL|TEST_DATABASE_URL|ADAPTERS|PORT|DEFAULT_)/.test(
        k,
      )
    )
      continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** A data directory of the test file's own, made now and removed after its tests. */
export function tempDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a TypeScript entry point of ours under tsx with the given stdin. */
export function start(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env });
}

export function finish(child: ChildProcessWithoutNullStreams, input?: string): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (input !== undefined) child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
): Promise<Finished> {
  return finish(start(script, args, env), input);
}

/** Resolves once the child's stdout contains `text`. */
export function waitForOutput(child: ChildProcessWithoutNullStreams, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer | string) => {
      seen += d.toString();
      if (seen.includes(text)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.on('close', (code) => reject(new Error(`exited with ${code} before printing ${text}`)));
  });
}

/**
 * Resolves with the URL ending in `path` (a plain path such as `/slack/events`) that the bot
 * logs on stderr once it listens; rejects with what it logged if it exits first.
 */
export function listeningAt(child: ChildProcessWithoutNullStreams, path: string): Promise<string> {
  const pattern = new RegExp(`(http://\\S+${path})`);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (d: Buffer) => {
      seen += d.toString();
      const url = pattern.exec(seen)?.[1];
      if (url) resolve(url);
    });
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${seen}`)));
  });
}
