import type { Kysely } from 'kysely';
import type { Locale } from '../app/locales.ts';
import type { Identity, User, UserRepository, UserWithIdentities } from '../app/ports.ts';
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

    async list() {
      const rows = await db
        .selectFrom('users as u')
        .leftJoin('platform_identities as p', 'p.user_id', 'u.id')
        .select(['u.id', 'u.display_name', 'u.role', 'u.locale', 'p.platform', 'p.external_id'])
        .orderBy('u.id')
        .orderBy('p.id')
        .execute();
      const users = new Map<number, UserWithIdentities & { identities: Identity[] }>();
      for (const row of rows) {
        const id = Number(row.id);
        let user = users.get(id);
        if (!user) {
          user = { ...toUser({ ...row, id }), identities: [] };
          users.set(id, user);
        }
        if (row.platform !== null && row.external_id !== null) {
          user.identities.push({ platform: row.platform, externalId: row.external_id });
        }
      }
      return [...users.values()];
    },

    async update(userId, { role, displayName }) {
      await db
        .updateTable('users')
        .set({
          ...(role !== undefined ? { role } : {}),
          ...(displayName !== undefined ? { display_name: displayName } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', userId)
        .execute();
    },

    async lockAdmins() {
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .orderBy('id')
        .forUpdate()
        .execute();
      return rows.map((row) => Number(row.id));
    },
  };
}
