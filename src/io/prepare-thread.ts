import { Worker, type WorkerOptions } from 'node:worker_threads';
import type {
  CandidateItem,
  CustomerLookup,
  PreparedItem,
  RefusedItem,
} from '../app/ingest/ingest.ts';
import type { FieldError } from '../app/ingest/validate.ts';
import { DomainError } from '../domain/errors.ts';
import type { CsvEvent, CsvSource, PreparedBatch } from './csv-prepare.ts';

// The protocol between an import (main thread) and the worker that prepares its file
// (import-worker.ts). Batches go one way, acknowledgements the other: the worker prepares
// at most IN_FLIGHT batches ahead of the database, so memory stays bounded on any file.

export const IN_FLIGHT = 2;

export interface WorkerData {
  /** With `keepRecords`, the worker keeps each batch's rows until it is committed. */
  readonly source: CsvSource;
}

export type ToWorker =
  | { readonly type: 'start'; readonly customers: CustomerLookup }
  | { readonly type: 'ack'; readonly wanted: readonly number[] };

export type FromWorker =
  | Exclude<CsvEvent, { readonly type: 'batch' }>
  | { readonly type: 'batch'; readonly batch: PostedBatch }
  | { readonly type: 'end' }
  | { readonly type: 'error'; readonly error: SerializedError }
  | { readonly type: 'records'; readonly records: [number, string[]][] };

/** A batch as it travels: its items packed (see `packItems`). */
export type PostedBatch = Omit<PreparedBatch, 'items'> & { readonly items: PackedItems };

/**
 * Prepared items as columns. Rebuilding objects is most of what a message costs the thread
 * that receives it — three times more than columns of the same values and building the
 * objects anew — and that thread is the one talking to the database.
 */
export interface PackedItems {
  readonly refs: number[];
  /** The upsert key of each candidate ('' for a refused item). */
  readonly keys: string[];
  readonly customerIds: (number | undefined)[];
  /** Which items have an input, and its fields: `columns[f][i]` is field `names[f]` of item i. */
  readonly inputs: Uint8Array;
  readonly names: string[];
  readonly columns: unknown[][];
  /** The rare parts, by item index: refusals, errors, earlier items with the same key. */
  readonly rest: [
    number,
    {
      readonly refused?: readonly FieldError[];
      readonly errors?: readonly FieldError[];
      readonly follows?: CandidateItem['follows'];
    },
  ][];
}

export function packItems(items: readonly PreparedItem[]): PackedItems {
  // Arrays are filled in order, never with holes: V8 copies a holey array entry by entry.
  const packed: PackedItems = {
    refs: [],
    keys: [],
    customerIds: [],
    inputs: new Uint8Array(items.length),
    names: [],
    columns: [],
    rest: [],
  };
  const fields = new Map<string, unknown[]>();
  const field = (name: string) => {
    let column = fields.get(name);
    if (!column) {
      column = [];
      fields.set(name, column);
      packed.names.push(name);
      packed.columns.push(column);
    }
    return column;
  };
  for (const [i, item] of items.entries()) {
    packed.refs.push(item.ref);
    if ('refused' in item) {
      packed.keys.push('');
      packed.customerIds.push(undefined);
      packed.rest.push([i, { refused: item.refused }]);
      continue;
    }
    packed.keys.push(item.key);
    packed.customerIds.push(item.customerId);
    if (item.errors || item.follows) {
      packed.rest.push([
        i,
        {
          ...(item.errors ? { errors: item.errors } : {}),
          ...(item.follows ? { follows: item.follows } : {}),
        },
      ]);
    }
    if (item.input === undefined) continue;
    packed.inputs[i] = 1;
    for (const [name, value] of Object.entries(item.input as Record<string, unknown>)) {
      const column = field(name);
      while (column.length < i) column.push(undefined);
      column.push(value);
    }
  }
  for (const column of packed.columns) while (column.length < items.length) column.push(undefined);
  return packed;
}

/** The items `packItems` packed (inputs hold no undefined values, so none are lost). */
export function unpackItems(packed: PackedItems): PreparedItem[] {
  const { refs, keys, customerIds, inputs, names, columns, rest } = packed;
  const items: PreparedItem[] = new Array(refs.length);
  let next = 0;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] ?? 0;
    let extra: PackedItems['rest'][number][1] | undefined;
    if (rest[next]?.[0] === i) extra = rest[next++]?.[1];
    if (extra?.refused) {
      items[i] = { ref, refused: extra.refused } satisfies RefusedItem;
      continue;
    }
    const item: { -readonly [K in keyof CandidateItem]: CandidateItem[K] } = {
      ref,
      key: keys[i] ?? '',
    };
    if (inputs[i]) {
      const input: Record<string, unknown> = {};
      for (let f = 0; f < names.length; f++) {
        const value = columns[f]?.[i];
        if (value !== undefined) input[names[f] ?? ''] = value;
      }
      item.input = input;
    }
    const customerId = customerIds[i];
    if (customerId !== undefined) item.customerId = customerId;
    if (extra?.errors) item.errors = extra.errors;
    if (extra?.follows) item.follows = extra.follows;
    items[i] = item;
  }
  return items;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** A DomainError's i18n code, or a system error's (ENOENT…). */
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly domain: boolean;
  readonly details?: Readonly<Record<string, string | number>>;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof DomainError) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      code: error.code,
      params: error.params,
      domain: true,
    };
  }
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), domain: false };
  const details: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') details[key] = value;
  }
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    domain: false,
    details,
  };
}

/** The error the worker threw, rebuilt on this side: a DomainError stays one (localized). */
export function deserializeError(e: SerializedError): Error {
  const error =
    e.domain && e.code !== undefined
      ? new DomainError(e.code, { ...e.params }, e.message)
      : Object.assign(new Error(e.message), e.details ?? {});
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}

/**
 * How to start the worker script next to this module. Compiled, it is plain JS. From the
 * TypeScript sources (tsx, `bin/creditops.js`, vitest) a loader registered in the parent is
 * not inherited by threads, and on Node 20 one given by `--import` does not apply to a
 * worker's entry point either: a small bootstrap registers tsx in the thread, by absolute
 * path (whatever the working directory), then imports the script.
 */
function workerEntry(): { readonly entry: string | URL; readonly options: WorkerOptions } {
  if (!import.meta.url.endsWith('.ts')) {
    return { entry: new URL('./import-worker.js', import.meta.url), options: {} };
  }
  const script = new URL('./import-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)})
  .then((api) => api.register())
  .then(() => import(${JSON.stringify(script)}));`;
  // The parent's own flags (vitest's, tsx's, an inspector) are of no use to the thread.
  return { entry: bootstrap, options: { eval: true, execArgv: [] } };
}

/** A file being prepared in a worker thread, consumed batch by batch. */
export interface ThreadPreparation {
  /** Starts preparing rows (resolving them against these customers). Call once. */
  begin(customers: CustomerLookup): void;
  /** The header, then the prepared batches, in file order; throws what the worker threw. */
  events(): AsyncGenerator<CsvEvent>;
  /** The oldest batch is committed; `lines` are rows of it whose records are still wanted. */
  committed(lines: readonly number[]): Promise<Map<number, string[]>>;
  /** Ends the worker, whatever state it is in. */
  close(): Promise<void>;
}

export function startPreparation(data: WorkerData): ThreadPreparation {
  const { entry, options } = workerEntry();
  const worker = new Worker(entry, { ...options, workerData: data });
  const queue: (FromWorker | { readonly type: 'failed'; readonly error: Error })[] = [];
  let wake: (() => void) | undefined;
  const waiting: {
    resolve: (records: Map<number, string[]>) => void;
    reject: (error: Error) => void;
  }[] = [];
  let finished = false;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    queue.push({ type: 'failed', error });
    for (const w of waiting.splice(0)) w.reject(error);
    wake?.();
  };
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'records') waiting.shift()?.resolve(new Map(message.records));
    else {
      queue.push(message);
      wake?.();
    }
  });
  worker.on('error', fail);
  worker.on('messageerror', fail);
  worker.on('exit', (code) => {
    if (!finished) fail(new Error(`the import worker stopped (exit code ${code})`));
  });
  const post = (message: ToWorker) => worker.postMessage(message);

  return {
    begin(customers) {
      post({ type: 'start', customers });
    },
    async *events() {
      for (;;) {
        const message = queue.shift();
        if (!message) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        switch (message.type) {
          case 'header':
            yield message;
            break;
          case 'batch':
            yield {
              type: 'batch',
              batch: { ...message.batch, items: unpackItems(message.batch.items) },
            };
            break;
          case 'end':
            return;
          case 'error':
            throw deserializeError(message.error);
          case 'failed':
            throw message.error;
        }
      }
    },
    committed(lines) {
      if (failure) return Promise.reject(failure);
      post({ type: 'ack', wanted: lines });
      if (lines.length === 0) return Promise.resolve(new Map());
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    async close() {
      finished = true;
      await worker.terminate();
    },
  };
}
