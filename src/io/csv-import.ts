import { createReadStream } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { EntityKind } from '../app/ingest/entities.ts';
import {
  createImportSession,
  type IngestItem,
  type IngestTally,
  type Rejection,
} from '../app/ingest/ingest.ts';
import type { Store } from '../app/ports.ts';
import { detectDelimiter, detectEncoding } from './encoding.ts';
import { type Encoding, type Mapping, resolveColumns, valueFormatOf } from './mapping.ts';

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
  /** Rows read so far and the share of the file's bytes consumed (0–1). */
  readonly onProgress?: (rowsRead: number, fraction: number) => void;
  /** The reason column of the rejects file, in the operator's language. */
  readonly explain: (problem: RowProblem) => string;
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
  readonly rejectsFile?: string;
}

const MAX_PROBLEMS = 1_000;

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

function decoder(encoding: Encoding): Transform {
  const text = new TextDecoder(encoding, { ignoreBOM: false });
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

/**
 * Streams a CSV or TSV file of any size into the ledger in batches, inside one transaction:
 * all or nothing by default; with `skipInvalid` the good rows land and the bad ones go to
 * FILE.rejects.csv with a reason column.
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
  const size = (await stat(o.file)).size || 1;
  const problems: RowProblem[] = [];
  const rejected: { line: number; row: string[]; reason: string }[] = [];
  let header: string[] = [];
  let tally: IngestTally | undefined;

  const run = async (store: Store) => {
    const session = createImportSession({
      kind: o.kind,
      format: valueFormatOf(o.mapping),
      ledger: store.ledger,
    });
    let columns = new Map<string, number>();
    let batch: IngestItem[] = [];
    const rows = new Map<number, string[]>();
    const report = (rejections: readonly Rejection[]) => {
      for (const r of rejections) {
        const row = rows.get(r.ref) ?? [];
        const found = r.errors.map((e) => ({
          line: r.ref,
          field: e.field,
          column: header[columns.get(e.field) ?? -1] ?? e.field,
          code: e.code,
          params: e.params,
        }));
        for (const p of found) if (problems.length < MAX_PROBLEMS) problems.push(p);
        if (o.skipInvalid)
          rejected.push({ line: r.ref, row, reason: found.map(o.explain).join('; ') });
      }
    };
    const flush = async () => {
      if (batch.length === 0) return;
      report(await session.apply(batch));
      o.onProgress?.(session.tally.read, Math.min(1, source.bytesRead / size));
      batch = [];
      rows.clear();
    };
    const source = createReadStream(o.file);
    const parser = parse({
      delimiter,
      relax_column_count: true,
      // Line numbers are counted here rather than by csv-parse's `info`, which costs a fifth
      // of the parse: each record starts one line after the previous one ended, and a quoted
      // field carries its own line breaks. Empty lines are counted, then skipped.
      skip_empty_lines: false,
      bom: true,
    });
    const feeding = pipeline(source, decoder(encoding), parser);
    // Read errors surface through the parser below; this keeps an early exit (a bad header)
    // from leaving the pipeline's rejection unhandled.
    feeding.catch(() => undefined);
    let nextLine = 1;
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1;
      for (const field of record) if (field.includes('\n')) nextLine += field.split('\n').length - 1;
      if (record.length === 1 && record[0] === '') continue;
      if (header.length === 0) {
        header = record.map((h) => h.trim());
        columns = resolveColumns(o.kind, header, o.mapping);
        continue;
      }
      const raw: Record<string, unknown> = { ...(o.mapping?.constants ?? {}) };
      for (const [field, at] of columns) raw[field] = record[at];
      rows.set(line, record);
      if (record.length !== header.length) {
        const params = { expected: header.length, got: record.length };
        const errors = [{ field: '', code: 'errors.import.column_count', params }];
        report([session.refuse({ ref: line, errors })]);
        continue;
      }
      batch.push({ ref: line, raw });
      if (batch.length >= (o.batchSize ?? 1_000)) await flush();
    }
    await feeding;
    await flush();
    tally = await session.finish();
    if (o.dryRun || (tally.rejected > 0 && !o.skipInvalid)) throw new Rollback();
  };

  try {
    await o.store.transaction(run);
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
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
    ...(rejectsFile ? { rejectsFile } : {}),
  };
}
