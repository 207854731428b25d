import type { Kysely } from 'kysely';
import { createImportSession } from '../../../src/app/ingest/ingest.ts';
import { ISO_FORMAT, type RawItem } from '../../../src/app/ingest/validate.ts';
import type { Identity } from '../../../src/app/ports.ts';
import type { DB } from '../../../src/db/schema.ts';
import { createStore } from '../../../src/db/store.ts';
import type { Role } from '../../../src/domain/credit.ts';

// What a reliability bot starts with, written before its first start: people with roles and
// identities (as `creditops users` would make them) and customers (as an import would).

export interface SeedPerson {
  readonly role: Role;
  readonly name: string;
  readonly identities: readonly Identity[];
}

export interface Seed {
  readonly people?: readonly SeedPerson[];
  /** Customers as the REST API and the CSV import take them (code, legalName, country…). */
  readonly customers?: readonly RawItem[];
  /** Anything else, on the same connection, after the people and customers. */
  readonly extra?: (db: Kysely<DB>) => Promise<void>;
}

export async function seed(db: Kysely<DB>, what: Seed): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const tx = createStore(trx);
    for (const person of what.people ?? []) {
      const [first, ...more] = person.identities;
      if (!first) throw new Error(`${person.name} needs an identity`);
      const user = await tx.users.create({
        identity: first,
        displayName: person.name,
        role: person.role,
      });
      for (const identity of more) {
        await trx
          .insertInto('platform_identities')
          .values({
            user_id: user.id,
            platform: identity.platform,
            external_id: identity.externalId,
          })
          .execute();
      }
    }
    const customers = what.customers ?? [];
    if (customers.length === 0) return;
    const session = createImportSession({
      kind: 'customers',
      format: ISO_FORMAT,
      ledger: tx.ledger,
    });
    const refused = await session.apply(customers.map((raw, ref) => ({ ref, raw })));
    if (refused.length > 0) throw new Error(`seed customers refused: ${JSON.stringify(refused)}`);
    await session.finish();
  });
  await what.extra?.(db);
}
