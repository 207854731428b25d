import type { Kysely } from 'kysely';
import type { IdempotencyStore } from '../app/ports.ts';
import type { DB } from './schema.ts';

/**
 * `claim` inserts the key row before the effect. A concurrent transaction that inserted
 * the same key first makes this insert wait on the primary key until it commits (then
 * the conflict returns no row and we read its answer) or rolls back (then the insert wins).
 */
export function createIdempotencyRepository(db: Kysely<DB>): IdempotencyStore {
  return {
    async claim({ actor, key, requestHash }) {
      const claimed = await db
        .insertInto('idempotency_keys')
        .values({ actor, key, request_hash: requestHash })
        .onConflict((oc) => oc.columns(['actor', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (claimed) return undefined;
      const row = await db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status', 'body'])
        .where('actor', '=', actor)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return {
        requestHash: row.request_hash,
        response: row.status === null ? undefined : { status: row.status, body: row.body },
      };
    },
    async save({ actor, key, status, body }) {
      await db
        .updateTable('idempotency_keys')
        .set({ status, body: JSON.stringify(body) })
        .where('actor', '=', actor)
        .where('key', '=', key)
        .execute();
    },
  };
}
