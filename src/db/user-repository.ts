import type { Kysely } from 'kysely';
import type { Locale } from '../app/locales.ts';
import type { User, UserRepository } from '../app/ports.ts';
import type { Role } from '../domain/credit.ts';
import type { DB } from './schema.ts';

function toUser(row: {
  id: number;
  display_name: string;
  role: string;
  locale: string | null;
}): User {
  return {
    id: row.id,
    displayName: row.display_name,
    role: row.role as Role,
    locale: row.locale as Locale | null,
  };
}

export function createUserRepository(db: Kysely<DB>): UserRepository {
  return {
    async findByIdentity(identity) {
      const row = await db
        .selectFrom('platform_identities as p')
        .innerJoin('users as u', 'u.id', 'p.user_id')
        .select(['u.id', 'u.display_name', 'u.role', 'u.locale'])
        .where('p.platform', '=', identity.platform)
        .where('p.external_id', '=', identity.externalId)
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },

    async create({ identity, displayName, role }) {
      const row = await db
        .insertInto('users')
        .values({ display_name: displayName, role, locale: null, timezone: null })
        .returning(['id', 'display_name', 'role', 'locale'])
        .executeTakeFirstOrThrow();
      await db
        .insertInto('platform_identities')
        .values({ user_id: row.id, platform: identity.platform, external_id: identity.externalId })
        .execute();
      return toUser(row);
    },

    async setLocale(userId, locale) {
      await db
        .updateTable('users')
        .set({ locale, updated_at: new Date() })
        .where('id', '=', userId)
        .execute();
    },
  };
}
