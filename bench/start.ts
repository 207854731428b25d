import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startedAlone } from './alone.ts';
import { type Figure, figure, formatFigures } from './figures.ts';
import { log } from './support.ts';

// `npm start` to ready, as someone trying creditops out meets it: the real `npm start` (npm,
// tsx, the bot) with no platform credentials and an embedded database, first on a new data
// directory (create, migrate, seed the demo data) and then again on the same directory. Ready
// is the moment the bot answers a look-up of a demo customer: `GET /api/v1/customers/C0001`
// returns it (API_TOKENS makes the bot serve HTTP next to the console; the demo data is seeded
// before the server listens). The floors are a bare node process creating, then opening, a
// PGlite directory with the same extension and running `select 1`.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CUSTOMER = 'C0001';
const POLL_MS = 10;
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
/** main.ts holds this lock file in the data directory; it names the bot's own pid. */
const LOCK_FILE = 'creditops.lock';

/** The environment of a first try: no platform credentials, no database server. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const skip =
    /^(SLACK|LINE|TELEGRAM|API_TOKENS|DATABASE_URL|TEST_DATABASE_URL|BENCH_DATABASE_URL|ADAPTERS|PORT|DEFAULT_|DATA_DIR|POLICY_DIR|PUBLIC_BASE_URL)/;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !skip.test(k)));
  return { ...env, NO_COLOR: '1', ...extra };
}

function freePort(): Promise<number> {
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

/** `npm start` as the user types it: the npm that runs us, else the one on PATH. */
function spawnNpmStart(env: NodeJS.ProcessEnv): ChildProcess {
  const npmCli = process.env.npm_execpath;
  const [command, args] =
    npmCli && /npm-cli\.c?js$/.test(npmCli)
      ? [process.execPath, [npmCli, 'start']]
      : ['npm', ['start']];
  return spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What a child printed last, for the error when it fails. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: string) => {
    text = (text + chunk).slice(-4_000);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  return () => text;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

/** One GET of the demo customer: true once the bot answers it. */
function answers(port: number, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(
      {
        host: '127.0.0.1',
        port,
        path: `/api/v1/customers/${CUSTOMER}`,
        headers: { Authorization: `Bearer ${token}` },
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (d: string) => (body += d));
        response.on('end', () =>
          resolve(response.statusCode === 200 && body.includes(`"code":"${CUSTOMER}"`)),
        );
      },
    );
    request.on('error', () => resolve(false));
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds from `npm start` to the bot answering; then SIGTERM to the bot and its exit. */
async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = cleanEnv({ DATA_DIR: dataDir, PORT: String(port), API_TOKENS: `bench:${token}` });
  const started = performance.now();
  const child = spawnNpmStart(env);
  const output = tail(child);
  let gone = false;
  void exited(child).then(() => (gone = true));
  try {
    while (!(await answers(port, token))) {
      if (gone) throw new Error(`npm start exited before it was ready:\n${output()}`);
      if (performance.now() - started > READY_TIMEOUT_MS)
        throw new Error(`npm start not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
      await pause(POLL_MS);
    }
    const seconds = (performance.now() - started) / 1000;
    // The bot itself, as a service manager stops it: npm and tsx end when it does (signalling
    // npm alone would leave tsx and the bot running).
    botPid(dataDir)?.kill('SIGTERM');
    const code = await Promise.race([exited(child), pause(STOP_TIMEOUT_MS).then(() => 'timeout')]);
    if (code !== 0) throw new Error(`npm start did not stop cleanly (${code}):\n${output()}`);
    return seconds;
  } finally {
    if (!gone) {
      try {
        botPid(dataDir)?.kill('SIGKILL');
      } catch {
        // Already gone.
      }
      child.kill('SIGKILL');
    }
  }
}

/** The bot's own process, named by the lock it holds on the data directory. */
function botPid(dataDir: string): { kill(signal: NodeJS.Signals): void } | undefined {
  try {
    const { pid } = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    return { kill: (signal) => process.kill(pid, signal) };
  } catch {
    return undefined;
  }
}

// What the bot cannot do without: node, PGlite and its pg_trgm extension, one query.
const FLOOR_SCRIPT = `
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
const lite = await PGlite.create({ dataDir: process.env.FLOOR_DATA_DIR, extensions: { pg_trgm } });
await lite.query('select 1');
process.stdout.write('ready\\n');
await lite.close();
`;

/** Seconds from spawning node to `select 1` answered on `dataDir` (created if new). */
async function floorOnce(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', FLOOR_SCRIPT], {
    cwd: ROOT,
    env: { ...cleanEnv({}), FLOOR_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  let seconds: number | undefined;
  child.stdout?.on('data', (d: string) => {
    if (seconds === undefined && d.includes('ready'))
      seconds = (performance.now() - started) / 1000;
  });
  const code = await exited(child);
  if (code !== 0 || seconds === undefined) throw new Error(`floor failed (${code}):\n${output()}`);
  return seconds;
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const spread = (prefix: string, xs: readonly number[]) => ({
  [`${prefix}min`]: Number(Math.min(...xs).toFixed(2)),
  [`${prefix}max`]: Number(Math.max(...xs).toFixed(2)),
});

/** `npm start` to ready, first run and restart, each the median of `runs` next to its floor. */
export async function measureStart(options: { readonly runs?: number } = {}): Promise<Figure[]> {
  const runs = options.runs ?? 3;
  const samples = { first: [] as number[], restart: [] as number[] };
  const floors = { first: [] as number[], restart: [] as number[] };
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-start-'));
  try {
    for (let run = 1; run <= runs; run += 1) {
      const data = join(dir, `run-${run}`);
      samples.first.push(await startOnce(data));
      samples.restart.push(await startOnce(data));
      const floorData = join(dir, `floor-${run}`);
      floors.first.push(await floorOnce(floorData));
      floors.restart.push(await floorOnce(floorData));
      const s = (x: number[]) => `${(x.at(-1) ?? 0).toFixed(2)} s`;
      log(
        `  run ${run}/${runs}: first run ${s(samples.first)} (floor ${s(floors.first)}), restart ${s(samples.restart)} (floor ${s(floors.restart)})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ready = `GET /api/v1/customers/${CUSTOMER} answered`;
  return [
    figure({
      section: 'start',
      name: 'npm start to ready, first run (new data directory, demo data)',
      value: median(samples.first),
      unit: 's',
      floorName: 'node: PGlite create + select 1',
      floor: median(floors.first),
      target: { text: '< 15 s', met: (v) => v < 15 },
      detail: { runs, ready, ...spread('', samples.first), ...spread('floor ', floors.first) },
    }),
    figure({
      section: 'start',
      name: 'npm start to ready, restart (existing data directory)',
      value: median(samples.restart),
      unit: 's',
      floorName: 'node: PGlite open + select 1',
      floor: median(floors.restart),
      target: { text: '< 3 s', met: (v) => v < 3 },
      detail: { runs, ready, ...spread('', samples.restart), ...spread('floor ', floors.restart) },
    }),
  ];
}

// `npx tsx bench/start.ts [--runs N]`
if (startedAlone(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs <= 0)
    throw new Error('--runs must be a positive whole number');
  console.log(formatFigures(await measureStart({ runs })));
}
