import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

// Helpers for running the suite against a real PostgreSQL server (TEST_DATABASE_URL).

export const TEMPLATES = {
  empty: 'creditops_test_tpl_empty',
  demo: 'creditops_test_tpl_demo',
} as const;

export function serverUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The maintenance database, from which test databases are created and dropped. */
export function adminUrl(url: string): string {
  return serverUrl(url, 'postgres');
}

export async function createDatabase(admin: Kysely<DB>, name: string, template?: string) {
  const from = template ? sql` template ${sql.id(template)}` : sql``;
  await sql`create database ${sql.id(name)}${from}`.execute(admin);
}

export async function dropDatabase(admin: Kysely<DB>, name: string): Promise<void> {
  await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
}
