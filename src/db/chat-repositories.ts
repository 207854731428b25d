import type { Kysely } from 'kysely';
import type {
  ActionTokenRepository,
  ChannelRepository,
  InboundEventRepository,
} from '../app/chat-ports.ts';
import type { Locale } from '../app/locales.ts';
import type { DB } from './schema.ts';

export function createActionTokenRepository(db: Kysely<DB>): ActionTokenRepository {
  return {
    async insert(rows) {
      if (rows.length === 0) return;
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
