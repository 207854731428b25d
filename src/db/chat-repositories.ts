import { type Kysely, sql } from 'kysely';
import type {
  ActionTokenRepository,
  ChannelRepository,
  InboundEventRepository,
} from '../app/chat-ports.ts';
import type { Locale } from '../app/locales.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

export function createActionTokenRepository(db: Kysely<DB>): ActionTokenRepository {
  return {
    async insert(rows) {
      if (rows.length === 0) return;
      if (!db.isTransaction) {
        // Tokens are issued with every answer, and waiting for the disk to confirm them was
        // the slowest step of a look-up. A server crash may lose the last instant's tokens:
        // their buttons then answer that they are unknown, and asking again gives working
        // ones. Inside a transaction the setting would cover its other writes too, so there
        // it is not used.
        const values = unnest([
          ['text', rows.map((row) => row.token)],
          ['text', rows.map((row) => row.command)],
          ['int8', rows.map((row) => row.userId)],
          ['timestamptz', rows.map((row) => row.expiresAt)],
        ]);
        await sql`
          with unhurried as (select set_config('synchronous_commit', 'off', true))
          insert into action_tokens (token, kind, payload, created_by_user_id, expires_at)
          select t.token, 'command', jsonb_build_object('command', t.command), t.user_id,
            t.expires_at
          from unhurried, ${values} as t (token, command, user_id, expires_at)`.execute(db);
        return;
      }
      await db
        .insertInto('action_tokens')
        .values(
          rows.map((row) => ({
            token: row.token,
            kind: 'command',
            payload: JSON.stringify({ command: row.command }),
            created_by_user_id: row.userId,
            expires_at: row.expiresAt,
          })),
        )
        .execute();
    },
    async find(token) {
      const row = await db
        .selectFrom('action_tokens')
        .select(['payload', 'expires_at'])
        .where('token', '=', token)
        .where('kind', '=', 'command')
        .executeTakeFirst();
      if (!row) return undefined;
      const payload = row.payload as { command?: unknown };
      if (typeof payload.command !== 'string') return undefined;
      return { command: payload.command, expiresAt: row.expires_at };
    },
  };
}

export function createInboundEventRepository(db: Kysely<DB>): InboundEventRepository {
  return {
    async claim(platform, eventId) {
      const row = await db
        .insertInto('inbound_events')
        .values({ platform, event_id: eventId })
        .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
        .returning('event_id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async handled(platform, eventId) {
      const row = await db
        .selectFrom('inbound_events')
        .select('event_id')
        .where('platform', '=', platform)
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export function createChannelRepository(db: Kysely<DB>): ChannelRepository {
  return {
    async settings(channel) {
      const row = await db
        .selectFrom('channels')
        .select(['locale', 'timezone'])
        .where('platform', '=', channel.platform)
        .where('external_id', '=', channel.externalId)
        .executeTakeFirst();
      return row ? { locale: row.locale as Locale, timeZone: row.timezone } : undefined;
    },
  };
}
