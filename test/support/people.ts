import type { Identity, User } from '../../src/app/ports.ts';
import type { Role } from '../../src/domain/credit.ts';
import type { TestDatabase } from './database.ts';

/** A user with a role and one or more platform identities, named after the first. */
export async function createPerson(
  database: TestDatabase,
  role: Role,
  ...identities: Identity[]
): Promise<User> {
  const [first, ...more] = identities;
  if (!first) throw new Error('a user needs an identity');
  const created = await database.store.users.create({
    identity: first,
    displayName: `${role} ${first.externalId}`,
    role,
  });
  for (const identity of more) {
    await database.db
      .insertInto('platform_identities')
      .values({
        user_id: created.id,
        platform: identity.platform,
        external_id: identity.externalId,
      })
      .execute();
  }
  return created;
}
