import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { start } from '../../support/process.ts';

// One run of `node --import tsx src/main.ts` after another, on the same configuration: what
// a supervisor does when it restarts the bot. Everything each run writes goes to `record`.

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface BotProcess {
  /** Starts a run and resolves once its output has named every path in `readyWhen`. */
  start(): Promise<void>;
  /** Sends the signal and resolves with how the run ended (SIGKILL: at once, nothing tidied). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<Exit>;
  running(): boolean;
  /** How each stopped run ended, in order. */
  readonly exits: readonly Exit[];
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** Resolves once the run has named every path on stderr; rejects if it exits first. */
function ready(child: ChildProcessWithoutNullStreams, paths: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`bot not ready after ${READY_TIMEOUT_MS} ms: ${seen}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (d: Buffer | string) => {
      seen += d.toString();
      if (paths.every((p) => seen.includes(p))) {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        resolve();
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code ?? signal}) before it was ready: ${seen}`));
    });
  });
}

export function createBotProcess(input: {
  readonly env: NodeJS.ProcessEnv;
  /** Paths the bot names once it serves them (its start-up lines on stderr). */
  readonly readyWhen: readonly string[];
  /** Gets every chunk of stdout and stderr, and a line when a run begins. */
  readonly record: (text: string) => void;
}): BotProcess {
  let child: ChildProcessWithoutNullStreams | undefined;
  let exited: Promise<Exit> | undefined;
  const exits: Exit[] = [];
  let runs = 0;
  return {
    exits,
    running: () => child !== undefined,
    async start() {
      if (child) throw new Error('the bot is already running');
      runs += 1;
      input.record(`\n--- run ${runs} ---\n`);
      const run = start('src/main.ts', [], input.env);
      run.stdout.setEncoding('utf8').on('data', input.record);
      run.stderr.setEncoding('utf8').on('data', input.record);
      exited = new Promise((resolve) =>
        run.once('exit', (code, signal) => resolve({ code, signal })),
      );
      child = run;
      try {
        await ready(run, input.readyWhen);
      } catch (error) {
        child = undefined;
        run.kill('SIGKILL');
        throw error;
      }
    },
    async stop(signal = 'SIGTERM') {
      const run = child;
      if (!run || !exited) throw new Error('the bot is not running');
      run.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          run.kill('SIGKILL');
          reject(new Error(`the bot did not stop within ${STOP_TIMEOUT_MS} ms of ${signal}`));
        }, STOP_TIMEOUT_MS);
      });
      const exit = await Promise.race([exited, late]).finally(() => clearTimeout(timer));
      exits.push(exit);
      child = undefined;
      exited = undefined;
      return exit;
    },
  };
}
