import { open, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { EntityKind } from '../app/ingest/entities.ts';
import {
  createImportSession,
  customerResolver,
  type IngestTally,
  needsCustomer,
  type Rejection,
} from '../app/ingest/ingest.ts';
import type { Store } from '../app/ports.ts';
import { type Encoding, valueFormatOf } from './columns.ts';
import {
  type CsvEvent,
  type CsvSource,
  type PreparedBatch,
  prepareCsv,
  type RefusedRow,
} from './csv-prepare.ts';
import { detectDelimiter, detectEncoding } from './encoding.ts';
import type { Mapping } from './mapping.ts';
import { startPreparation, type ThreadPreparation } from './prepare-thread.ts';

export interface CsvImportOptions {
  readonly file: string;
  readonly kind: EntityKind;
  readonly mapping?: Mapping;
  /** Overrides detection and the mapping's encoding. */
  readonly encoding?: Encoding;
  readonly store: Store;
  readonly dryRun?: boolean;
  readonly skipInvalid?: boolean;
  readonly batchSize?: number;
  /**
   * Prepare the rows in a worker thread (true) or on this one (false). By default files of
   * INLINE_BYTES or more go to a worker; smaller ones are not worth its start-up.
   */
  readonly worker?: boolean;
  /** Rows read so far and the share of the file's bytes consumed (0–1). */
  readonly onProgress?: (rowsRead: number, fraction: number) => void;
  /** The reason column of the rejects file, in the operator's language. */
  readonly explain: (problem: RowProblem) => string;
  /** Who imports (`cli:<os user>`): an applied import is audited under this name. */
  readonly actor?: string;
}

/** One refused value: file line, source column, and why (an i18n code with its params). */
export interface RowProblem {
  readonly line: number;
  readonly column: string;
  readonly field: string;
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export interface CsvImportResult {
  readonly tally: IngestTally;
  readonly seconds: number;
  readonly encoding: Encoding;
  /** The first problems found, in file order (all of them are counted in the tally). */
  readonly problems: readonly RowProblem[];
  readonly applied: boolean;
  /** The customers the applied import wrote something for; empty when nothing was applied. */
  readonly customerIds: readonly number[];
  readonly rejectsFile?: string;
}

const MAX_PROBLEMS = 1_000;
export const INLINE_BYTES = 1024 * 1024;
/** Rows of invoices per write (see `CsvSource.writeSize`). */
const WRITE_ROWS = 32_000;

class Rollback extends Error {}

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Where prepared batches come from: this thread, or a worker that runs ahead. */
interface BatchFeed {
  readonly events: AsyncIterable<CsvEvent>;
  /** The last batch is committed; resolves to the records of `lines` it did not carry. */
  committed(lines: readonly number[]): Promise<Map<number, string[]>>;
}

function threadFeed(thread: ThreadPreparation, kind: EntityKind, store: Store): BatchFeed {
  return {
    events: (async function* () {
      thread.begin(needsCustomer(kind) ? await store.ledger.customerSnapshot() : new Map());
      yield* thread.events();
    })(),
    committed: (lines) => thread.committed(lines),
  };
}

function inlineFeed(source: CsvSource, store: Store): BatchFeed {
  return {
    events: prepareCsv(source, customerResolver(store.ledger)),
    committed: async () => new Map(),
  };
}

/**
 * The problems of a write in the order batches of `batchSize` rows report them, however many
 * batches the write took: per batch, first its rows with the wrong number of columns (met
 * while it filled), then its refused items in file order.
 */
function inReportOrder(
  batch: PreparedBatch,
  refused: readonly RefusedRow[],
  rejections: readonly Rejection[],
  batchSize: number,
): Rejection[] {
  const batchOf = (items: number) => Math.floor(items / batchSize);
  const ordered: Rejection[] = [];
  let r = 0;
  const refusedUpTo = (index: number) => {
    for (let next = refused[r]; next && batchOf(next.after) <= index; next = refused[++r]) {
      ordered.push(next);
    }
  };
  let at = 0;
  for (const rejection of rejections) {
    while (at < batch.items.length && batch.items[at]?.ref !== rejection.ref) at += 1;
    refusedUpTo(batchOf(batch.first + at));
    ordered.push(rejection);
  }
  refusedUpTo(Number.POSITIVE_INFINITY);
  return ordered;
}

/**
 * Streams a CSV or TSV file of any size into the ledger in batches, inside one transaction:
 * all or nothing by default; with `skipInvalid` the good rows land and the bad ones go to
 * FILE.rejects.csv with a reason column. A big file is read and prepared in a worker thread
 * while this one writes the batch before.
 */
export async function importCsv(o: CsvImportOptions): Promise<CsvImportResult> {
  const started = performance.now();
  const head = await readHead(o.file, 64 * 1024);
  const mapped =
    o.mapping?.encoding && o.mapping.encoding !== 'auto' ? o.mapping.encoding : undefined;
  const encoding = o.encoding ?? mapped ?? detectEncoding(head);
  const firstLine = new TextDecoder(encoding).decode(head).split(/\r?\n/u)[0] ?? '';
  const delimiter =
    o.mapping?.delimiter && o.mapping.delimiter !== 'auto'
      ? o.mapping.delimiter
      : detectDelimiter(firstLine);
  const bytes = (await stat(o.file)).size;
  const size = bytes || 1;
  const batchSize = o.batchSize ?? 1_000;
  const source: CsvSource = {
    file: o.file,
    kind: o.kind,
    ...(o.mapping ? { mapping: o.mapping } : {}),
    encoding,
    delimiter,
    batchSize,
    // Invoices are written by COPY after one probe of what exists: few big statements cost
    // far less than many small ones, and how rows are grouped changes nothing in the outcome.
    writeSize: o.kind === 'invoices' ? Math.ceil(WRITE_ROWS / batchSize) * batchSize : batchSize,
    keepRecords: o.skipInvalid === true,
  };
  const problems: RowProblem[] = [];
  const rejected: { line: number; row: string[]; reason: string }[] = [];
  let header: string[] = [];
  let tally: IngestTally | undefined;
  let touched: number[] = [];
  // Started before the transaction, so it loads while the customers are read.
  const thread = (o.worker ?? bytes >= INLINE_BYTES) ? startPreparation({ source }) : undefined;

  const run = async (store: Store) => {
    const session = createImportSession({
      kind: o.kind,
      format: valueFormatOf(o.mapping),
      ledger: store.ledger,
    });
    const feed = thread ? threadFeed(thread, o.kind, store) : inlineFeed(source, store);
    let columns = new Map<string, number>();
    /** Rejects-file rows whose records come later (from the worker), by line. */
    const pending = new Map<number, { row: string[] }>();
    /** Reports refused items; returns the lines whose records the batch does not carry. */
    const report = (rejections: readonly Rejection[], batch: PreparedBatch): number[] => {
      const missing: number[] = [];
      for (const r of rejections) {
        const found = r.errors.map((e) => ({
          line: r.ref,
          field: e.field,
          column: header[columns.get(e.field) ?? -1] ?? e.field,
          code: e.code,
          params: e.params,
        }));
        for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
        if (o.skipInvalid) {
          const row = batch.records.get(r.ref);
          const entry = { line: r.ref, row: row ?? [], reason: found.map(o.explain).join('; ') };
          if (!row) {
            pending.set(r.ref, entry);
            missing.push(r.ref);
          }
          rejected.push(entry);
        }
      }
      return missing;
    };
    const fill = (records: Map<number, string[]>) => {
      for (const [line, row] of records) {
        const entry = pending.get(line);
        if (entry) entry.row = row;
        pending.delete(line);
      }
    };
    const awaited: Promise<void>[] = [];
    for await (const event of feed.events) {
      if (event.type === 'header') {
        header = event.header;
        columns = event.columns;
        continue;
      }
      const { batch } = event;
      for (const r of batch.refused) session.refuse(r);
      const rejections = batch.items.length > 0 ? await session.commit(batch.items) : [];
      const ordered = inReportOrder(batch, batch.refused, rejections, batchSize);
      const missing = report(ordered, batch);
      if (batch.items.length > 0) {
        o.onProgress?.(session.tally.read, Math.min(1, batch.bytesRead / size));
      }
      const records = feed.committed(missing).then(fill);
      // Awaited below; a failure before then must not go unhandled meanwhile.
      records.catch(() => undefined);
      awaited.push(records);
    }
    await Promise.all(awaited);
    tally = await session.finish();
    touched = [...session.touched];
    if (o.dryRun || (tally.rejected > 0 && !o.skipInvalid)) throw new Rollback();
    // One entry for the file, as a REST batch has one: its rows are the ledger's own record.
    if (o.actor) {
      await store.audit.record({
        actor: o.actor,
        action: 'import.upsert',
        entityType: o.kind,
        entityId: basename(o.file),
        before: null,
        after: { file: basename(o.file), ...tally },
      });
    }
  };

  try {
    await o.store.transaction(run);
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await thread?.close();
  }
  const final = tally ?? { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const applied = !o.dryRun && (final.rejected === 0 || o.skipInvalid === true);
  let rejectsFile: string | undefined;
  if (o.skipInvalid && rejected.length > 0 && !o.dryRun) {
    rejectsFile = `${o.file}.rejects.csv`;
    const lines = rejected.map((r) => [String(r.line), ...r.row, r.reason]);
    // A BOM so spreadsheet programs open Japanese and Chinese text as UTF-8.
    await writeFile(rejectsFile, `\ufeff${stringify([['line', ...header, 'reason'], ...lines])}`);
  }
  return {
    tally: final,
    seconds: (performance.now() - started) / 1000,
    encoding,
    problems,
    applied,
    customerIds: applied ? touched : [],
    ...(rejectsFile ? { rejectsFile } : {}),
  };
}
