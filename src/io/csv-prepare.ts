import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { EntityKind } from '../app/ingest/entities.ts';
import {
  type CustomerLookup,
  createItemPreparer,
  type IngestItem,
  type PreparedItem,
  type Rejection,
} from '../app/ingest/ingest.ts';
import { type Encoding, resolveColumns, valueFormatOf } from './columns.ts';
import type { Mapping } from './mapping.ts';

/** A file to import and how to read it: plain data, so a worker thread can be given it. */
export interface CsvSource {
  readonly file: string;
  readonly kind: EntityKind;
  readonly mapping?: Mapping;
  readonly encoding: Encoding;
  readonly delimiter: string;
  /** Rows per batch as the import reports them: a row with the wrong number of columns is
   * reported before the other problems of the batch it was met in. */
  readonly batchSize: number;
  /** Rows per write, a multiple of `batchSize`: batches grow to it, doubling from one. */
  readonly writeSize: number;
  /** Keep the rows themselves, for a rejects file. */
  readonly keepRecords: boolean;
}

/** A row with the wrong number of columns, and how many items the file had before it. */
export interface RefusedRow extends Rejection {
  readonly after: number;
}

/** Rows of a file prepared for one `ImportSession.commit`. */
export interface PreparedBatch {
  /** How many items the file had before these. */
  readonly first: number;
  readonly items: PreparedItem[];
  /** Rows with the wrong number of columns met among these. */
  readonly refused: RefusedRow[];
  /** Every row by line, refused ones too, when kept: the rejects file quotes them. */
  readonly records: Map<number, string[]>;
  /** Bytes of the file read so far. */
  readonly bytesRead: number;
}

export type CsvEvent =
  | {
      readonly type: 'header';
      readonly header: string[];
      readonly columns: Map<string, number>;
    }
  | { readonly type: 'batch'; readonly batch: PreparedBatch };

/** Customers for a batch's codes: a snapshot of all of them, or a look-up. */
export type CustomerSource =
  | CustomerLookup
  | ((codes: readonly string[]) => Promise<CustomerLookup>);

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
 * Streams a CSV or TSV file and prepares it batch by batch — decoding, parsing, line
 * numbers, column mapping, validation, customers, conversion — without touching the
 * database. The one implementation behind both the inline import and the worker thread.
 */
export async function* prepareCsv(
  source: CsvSource,
  customers: CustomerSource,
): AsyncGenerator<CsvEvent> {
  const { kind, mapping } = source;
  const preparer = createItemPreparer({ kind, format: valueFormatOf(mapping) });
  const constants = mapping?.constants;
  let header: string[] = [];
  let columns = new Map<string, number>();
  let batch: IngestItem[] = [];
  let refused: RefusedRow[] = [];
  let first = 0;
  // The first write comes soon (the database need not wait), later ones are bigger.
  let size = source.batchSize;
  let records = new Map<number, string[]>();
  const flush = async (): Promise<PreparedBatch> => {
    const lookup =
      typeof customers === 'function' ? await customers(preparer.customerCodes(batch)) : customers;
    const prepared: PreparedBatch = {
      first,
      items: preparer.prepare(batch, lookup),
      refused,
      records,
      bytesRead: stream.bytesRead,
    };
    first += batch.length;
    size = Math.min(size * 2, Math.max(source.writeSize, source.batchSize));
    batch = [];
    refused = [];
    records = new Map();
    return prepared;
  };
  const stream = createReadStream(source.file);
  const parser = parse({
    delimiter: source.delimiter,
    relax_column_count: true,
    // Line numbers are counted here rather than by csv-parse's `info`, which costs a fifth
    // of the parse: each record starts one line after the previous one ended, and a quoted
    // field carries its own line breaks. Empty lines are counted, then skipped.
    skip_empty_lines: false,
    bom: true,
  });
  const feeding = pipeline(stream, decoder(source.encoding), parser);
  // Read errors surface through the parser below; this keeps an early exit (a bad header)
  // from leaving the pipeline's rejection unhandled.
  feeding.catch(() => undefined);
  try {
    let nextLine = 1;
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1;
      for (const field of record)
        if (field.includes('\n')) nextLine += field.split('\n').length - 1;
      if (record.length === 1 && record[0] === '') continue;
      if (header.length === 0) {
        header = record.map((h) => h.trim());
        columns = resolveColumns(kind, header, mapping);
        yield { type: 'header', header, columns };
        continue;
      }
      if (source.keepRecords) records.set(line, record);
      if (record.length !== header.length) {
        const params = { expected: header.length, got: record.length };
        const errors = [{ field: '', code: 'errors.import.column_count', params }];
        refused.push({ ref: line, errors, after: first + batch.length });
        continue;
      }
      const raw: Record<string, unknown> = constants ? { ...constants } : {};
      for (const [field, at] of columns) raw[field] = record[at];
      batch.push({ ref: line, raw });
      if (batch.length >= size) yield { type: 'batch', batch: await flush() };
    }
    await feeding;
    if (batch.length > 0 || refused.length > 0) yield { type: 'batch', batch: await flush() };
  } finally {
    // An early exit (an error, the consumer stopping) closes the file.
    stream.destroy();
  }
}
