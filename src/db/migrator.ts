import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';

export interface MigrationReport {
  readonly applied: readonly string[];
}

/** The migrations recorded as applied; undefined before the first (no record table yet). */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema, typed or not.
async function recordedMigrations(db: Kysely<any>): Promise<ReadonlySet<string> | undefined> {
  const table = await sql<{ found: string | null }>`
    select to_regclass('kysely_migration')::text as found`.execute(db);
  if (!table.rows[0]?.found) return undefined;
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(rows.map((r) => r.name));
}

/** Applies every pending migration in order; throws with the failing migration's name. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on any schema, typed or not.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  // Kysely's Migrator reads the whole catalogue three times before it finds nothing to do,
  // a good part of every start; a database holding exactly these migrations is up to date.
  const recorded = await recordedMigrations(db);
  const names = Object.keys(migrations);
  if (recorded?.size === names.length && names.every((name) => recorded.has(name)))
    return { applied: [] };
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).map((r) => r.migrationName) };
}
