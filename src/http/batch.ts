import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type EntityKind, FIELDS } from '../app/ingest/entities.ts';
import { createImportSession } from '../app/ingest/ingest.ts';
import { type FieldError, ISO_FORMAT, type RawItem } from '../app/ingest/validate.ts';
import type { Store } from '../app/ports.ts';
import type { HttpDeps, HttpEnv } from './context.ts';
import { HttpProblem } from './problem.ts';

/** URL segment → entity kind; the URL says `credit-events` where the ledger says `events`. */
export const BATCH_ROUTES = {
  customers: 'customers',
  invoices: 'invoices',
  payments: 'payments',
  orders: 'orders',
  'credit-reports': 'credit-reports',
  'credit-events': 'events',
} as const satisfies Record<string, EntityKind>;

export const MAX_ITEMS = 1000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface BatchResult {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

interface ItemError extends FieldError {
  readonly item: number;
}

type Outcome =
  | { readonly kind: 'applied'; readonly body: BatchResult }
  | { readonly kind: 'replayed'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'key_reused' }
  | { readonly kind: 'key_in_progress' };

/** Thrown inside the transaction to roll it back: the batch is all or nothing. */
class RefusedBatch extends Error {
  constructor(readonly errors: readonly ItemError[]) {
    super('batch refused');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON body's items, or the problem with it, before anything touches the database. */
async function readItems(c: Context<HttpEnv>): Promise<unknown[]> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new HttpProblem('unsupported_media_type');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new HttpProblem('malformed_json');
  }
  const items = isRecord(body) ? body.items : undefined;
  if (!Array.isArray(items) || items.length === 0) {
    throw new HttpProblem('bad_body', { params: { max: MAX_ITEMS } });
  }
  if (items.length > MAX_ITEMS) {
    throw new HttpProblem('too_many_items', { params: { max: MAX_ITEMS, count: items.length } });
  }
  return items;
}

/**
 * What JSON allows and a CSV mapping cannot: keys that are no field of ours (a typo would
 * otherwise be dropped silently) and minor-unit amounts that are not exact integers.
 */
function shapeErrors(kind: EntityKind, raw: unknown): FieldError[] {
  if (!isRecord(raw)) return [{ field: '', code: 'errors.api.item_not_object', params: {} }];
  const errors: FieldError[] = [];
  const names = new Set(FIELDS[kind].map((f) => f.name));
  for (const spec of FIELDS[kind].filter((f) => f.type === 'amount')) {
    const minorName = `${spec.name}Minor`;
    names.add(minorName);
    const minor = raw[minorName];
    if (minor === undefined || minor === null) continue;
    if (!Number.isSafeInteger(minor)) {
      errors.push({ field: minorName, code: 'errors.api.minor_not_integer', params: {} });
    } else if (raw[spec.name] !== undefined && raw[spec.name] !== null) {
      errors.push({ field: spec.name, code: 'errors.api.amount_twice', params: {} });
    }
  }
  for (const key of Object.keys(raw).filter((k) => !names.has(k))) {
    errors.push({ field: key, code: 'errors.api.unknown_field', params: { kind } });
  }
  return errors;
}

/** The importer speaks of file lines; here an earlier duplicate is an item index. */
function forApi(error: FieldError): FieldError {
  if (error.code !== 'errors.import.duplicate') return error;
  return { ...error, code: 'errors.api.duplicate', params: { item: error.params.line ?? '' } };
}

/** Validates and writes every item, or throws `RefusedBatch` naming each refused one. */
async function applyItems(tx: Store, kind: EntityKind, items: readonly unknown[]) {
  const errors: ItemError[] = items.flatMap((raw, item) =>
    shapeErrors(kind, raw).map((e) => ({ item, ...e })),
  );
  const session = createImportSession({ kind, format: ISO_FORMAT, ledger: tx.ledger });
  const rejections = await session.apply(
    items.flatMap((raw, ref) => (isRecord(raw) ? [{ ref, raw: raw as RawItem }] : [])),
  );
  for (const r of rejections) errors.push(...r.errors.map((e) => ({ item: r.ref, ...forApi(e) })));
  if (errors.length > 0) throw new RefusedBatch(errors.sort((a, b) => a.item - b.item));
  return session.finish();
}

interface BatchRequest {
  readonly kind: EntityKind;
  readonly items: readonly unknown[];
  readonly actor: string;
  readonly requestId: string;
  readonly idempotency: { readonly key: string; readonly requestHash: string } | undefined;
}

/**
 * One transaction: claim the Idempotency-Key, apply, audit, remember the answer. A crash
 * before commit loses all of it together; a second request with the key waits, then replays.
 */
async function upsertBatch(store: Store, request: BatchRequest): Promise<Outcome> {
  const { kind, items, actor, idempotency } = request;
  return store.transaction(async (tx) => {
    if (idempotency) {
      const earlier = await tx.idempotency.claim({ actor, ...idempotency });
      if (earlier && earlier.requestHash !== idempotency.requestHash) return { kind: 'key_reused' };
      if (earlier) {
        const { response } = earlier;
        return response ? { kind: 'replayed', ...response } : { kind: 'key_in_progress' };
      }
    }
    const tally = await applyItems(tx, kind, items);
    const body = { inserted: tally.inserted, updated: tally.updated, unchanged: tally.unchanged };
    await tx.audit.record({
      actor,
      action: 'api.upsert',
      entityType: kind,
      entityId: idempotency?.key ?? request.requestId,
      before: null,
      after: { items: items.length, ...body },
      correlationId: request.requestId,
    });
    if (idempotency) await tx.idempotency.save({ actor, key: idempotency.key, status: 200, body });
    return { kind: 'applied', body };
  });
}

function idempotencyOf(c: Context<HttpEnv>, kind: EntityKind, items: readonly unknown[]) {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) throw new HttpProblem('bad_idempotency_key');
  // The same key on another endpoint is another request, so the kind is hashed too.
  const requestHash = createHash('sha256')
    .update(`${kind}\n${JSON.stringify(items)}`)
    .digest();
  return { key, requestHash: requestHash.toString('hex') };
}

function refusal(
  c: Context<HttpEnv>,
  { errors, total }: { readonly errors: readonly ItemError[]; readonly total: number },
) {
  const t = c.get('t');
  const list = errors.map((e) => ({
    item: e.item,
    field: e.field === '' ? null : e.field,
    pointer: `/items/${e.item}${e.field === '' ? '' : `/${e.field}`}`,
    code: e.code,
    message: t(e.code, { ...e.params, field: e.field }),
  }));
  const refused = new Set(errors.map((e) => e.item)).size;
  return new HttpProblem('validation', {
    params: { refused, total },
    extensions: { errors: list },
  });
}

/** `POST /api/v1/<kind>` with `{ items: [...] }`: all items applied, or none. */
export function batchHandler(deps: HttpDeps, kind: EntityKind) {
  return async (c: Context<HttpEnv>): Promise<Response> => {
    const items = await readItems(c);
    const idempotency = idempotencyOf(c, kind, items);
    const actor = c.get('actor');
    const requestId = c.get('requestId');
    let outcome: Outcome;
    try {
      outcome = await upsertBatch(deps.store, { kind, items, actor, requestId, idempotency });
    } catch (error) {
      if (error instanceof RefusedBatch)
        throw refusal(c, { errors: error.errors, total: items.length });
      throw error;
    }
    if (outcome.kind === 'key_reused') throw new HttpProblem('idempotency_mismatch');
    if (outcome.kind === 'key_in_progress') throw new HttpProblem('idempotency_in_progress');
    if (outcome.kind === 'replayed') {
      c.header('Idempotent-Replayed', 'true');
      return c.json(outcome.body, outcome.status as ContentfulStatusCode);
    }
    deps.logger.info('api batch applied', { actor, kind, requestId, ...outcome.body });
    return c.json(outcome.body, 200);
  };
}
