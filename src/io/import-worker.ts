import { parentPort, workerData } from 'node:worker_threads';
import type { CustomerLookup } from '../app/ingest/ingest.ts';
import { type PreparedBatch, prepareCsv } from './csv-prepare.ts';
import {
  type FromWorker,
  IN_FLIGHT,
  type PostedBatch,
  packItems,
  serializeError,
  type ToWorker,
  type WorkerData,
} from './prepare-thread.ts';

// A worker thread that streams one file and prepares it for import (see prepare-thread.ts):
// all the CPU work of an import, so the main thread only talks to the database.

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');
const { source } = workerData as WorkerData;
const send = (message: FromWorker) => port.postMessage(message);

let credit = IN_FLIGHT;
let resume: (() => void) | undefined;
let start: ((customers: CustomerLookup) => void) | undefined;
const customers = new Promise<CustomerLookup>((resolve) => {
  start = resolve;
});
/** The rows of each batch posted and not yet committed, oldest first. */
const retained: Map<number, string[]>[] = [];

port.on('message', (message: ToWorker) => {
  if (message.type === 'start') {
    start?.(message.customers);
    return;
  }
  const rows = retained.shift();
  if (message.wanted.length > 0) {
    send({ type: 'records', records: message.wanted.map((line) => [line, rows?.get(line) ?? []]) });
  }
  credit += 1;
  resume?.();
});

/** What travels: packed items, and only the rows already known refused (when kept at all). */
function posted(batch: PreparedBatch): PostedBatch {
  const records = new Map<number, string[]>();
  if (source.keepRecords) {
    retained.push(batch.records);
    const lines = [
      ...batch.refused.map((r) => r.ref),
      ...batch.items.flatMap((i) => ('refused' in i ? [i.ref] : [])),
    ];
    for (const line of lines) {
      const row = batch.records.get(line);
      if (row) records.set(line, row);
    }
  }
  return { ...batch, items: packItems(batch.items), records };
}

try {
  for await (const event of prepareCsv(source, () => customers)) {
    if (event.type === 'header') {
      send(event);
      continue;
    }
    send({ type: 'batch', batch: posted(event.batch) });
    credit -= 1;
    while (credit <= 0) {
      await new Promise<void>((resolve) => {
        resume = resolve;
      });
      resume = undefined;
    }
  }
  send({ type: 'end' });
} catch (error) {
  send({ type: 'error', error: serializeError(error) });
}
