import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type {
  OutboxDelivery,
  OutboxEntry,
  OutboxKind,
  OutboxQueue,
  OutboxRepository,
  OutboxStatus,
} from '../app/outbox-ports.ts';
import type { DB, OutboxTable } from './schema.ts';

const ENTRY_COLUMNS = [
  'id',
  'platform',
  'channel_external_id',
  'kind',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'created_at',
] as const;

type EntryRow = Pick<Selectable<OutboxTable>, (typeof ENTRY_COLUMNS)[number]>;

function toEntry(row: EntryRow): OutboxEntry {
  return {
    id: Number(row.id),
    platform: row.platform,
    channel: row.channel_external_id,
    kind: row.kind as OutboxKind,
    type: typeof row.payload.type === 'string' ? row.payload.type : '',
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

export function createOutboxRepository(db: Kysely<DB>): OutboxRepository {
  return {
    async enqueue(messages) {
      if (messages.length === 0) return;
      await db
        .insertInto('outbox')
        .values(
          messages.map((m) => ({
            platform: m.platform,
            channel_external_id: m.channel,
            kind: m.kind,
            payload: JSON.stringify(m.payload),
            subject_type: m.subjectType ?? null,
            subject_id: m.subjectId ?? null,
          })),
        )
        .execute();
    },
    async has(subjectType, subjectId) {
      const row = await db
        .selectFrom('outbox')
        .select('id')
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .executeTakeFirst();
      return row !== undefined;
    },
    async list({ dead, limit }) {
      const rows = await db
        .selectFrom('outbox')
        .select(ENTRY_COLUMNS)
        .where('status', 'in', dead ? ['dead'] : ['pending', 'sending', 'dead'])
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
    async find(id) {
      const row = await db
        .selectFrom('outbox')
        .select(ENTRY_COLUMNS)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toEntry(row) : undefined;
    },
    async revive({ ids, at }) {
      if (ids !== 'all-dead' && ids.length === 0) return [];
      // The last error stays, so `outbox list` still says why it died until it is sent.
      let query = db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: at, locked_until: null })
        .where('status', '=', 'dead');
      if (ids !== 'all-dead') query = query.where('id', 'in', ids);
      const rows = await query.returning('id').execute();
      return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    },
  };
}

interface ClaimedRow {
  id: number;
  platform: string;
  channel_external_id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  update_refs: string[];
}

/**
 * Times come from the worker's clock, never from the database's now(): the lease, the retry
 * time and the sent time are all on one clock, which tests can move.
 */
export function createOutboxQueue(db: Kysely<DB>): OutboxQueue {
  const finish = async (
    id: number,
    attempts: number,
    set: Updateable<OutboxTable>,
    on: Kysely<DB> = db,
  ): Promise<boolean> => {
    const result = await on
      .updateTable('outbox')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  };

  return {
    async claim({ now, leaseUntil, limit }) {
      // SKIP LOCKED lets two replicas claim side by side without waiting on or sharing a row.
      // The channel check keeps order: only the oldest unfinished message of a channel is
      // ever claimable, so a later one (an update of a post) never overtakes it. A claimed
      // row is due again when its lease ends, in case the worker died with it.
      const { rows } = await sql<ClaimedRow>`
        update outbox o
           set status = 'sending', attempts = o.attempts + 1,
               locked_until = ${leaseUntil}, next_attempt_at = ${leaseUntil}
         where o.id in (
           select c.id from outbox c
            where c.status in ('pending', 'sending')
              and (c.attempts = 0 or c.next_attempt_at <= ${now})
              and (c.locked_until is null or c.locked_until <= ${now})
              and not exists (
                select 1 from outbox e
                 where e.platform = c.platform
                   and e.channel_external_id = c.channel_external_id
                   and e.id < c.id
                   and e.status in ('pending', 'sending'))
            order by c.id
            limit ${limit}
            for update skip locked)
        returning o.id, o.platform, o.channel_external_id, o.kind, o.payload, o.attempts,
          (select coalesce(array_agg(p.platform_ref order by p.id), '{}')
             from outbox p
            where p.kind = 'post' and p.status = 'sent' and p.platform_ref is not null
              and p.platform = o.platform and p.channel_external_id = o.channel_external_id
              and p.subject_type = o.subject_type and p.subject_id = o.subject_id
              and p.id < o.id) as update_refs`.execute(db);
      return rows
        .map(
          (row): OutboxDelivery => ({
            id: row.id,
            platform: row.platform,
            channel: row.channel_external_id,
            kind: row.kind as OutboxKind,
            payload: row.payload,
            attempts: row.attempts,
            updateRefs: row.kind === 'update' ? row.update_refs : [],
          }),
        )
        .sort((a, b) => a.id - b.id);
    },
    markSent({ id, attempts, ref, at }) {
      return finish(id, attempts, {
        status: 'sent',
        platform_ref: ref,
        sent_at: at,
        locked_until: null,
      });
    },
    retryAt({ id, attempts, at, error }) {
      return finish(id, attempts, {
        status: 'pending',
        next_attempt_at: at,
        locked_until: null,
        last_error: error,
      });
    },
    markDead({ id, attempts, error, notices = [] }) {
      const dead = { status: 'dead', locked_until: null, last_error: error } as const;
      if (notices.length === 0) return finish(id, attempts, dead);
      // One transaction: a dead message without its notice, or a notice about a message
      // another worker still owns, cannot happen.
      return db.transaction().execute(async (trx) => {
        if (!(await finish(id, attempts, dead, trx))) return false;
        await createOutboxRepository(trx).enqueue(notices);
        return true;
      });
    },
    defer({ id, attempts, at }) {
      // locked_until holds the message back even when it was never tried (attempts 0 would
      // make it due at once); the claim's increment is undone, so no attempt is spent.
      return finish(id, attempts, {
        status: 'pending',
        attempts: attempts - 1,
        next_attempt_at: at,
        locked_until: at,
      });
    },
  };
}
