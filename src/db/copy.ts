import { CompiledQuery, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * `COPY … FROM STDIN` through Kysely, so it runs on whatever executor holds the work — inside
 * an open transaction it is part of that transaction. The connection layer recognises the tag
 * and streams the one parameter as the COPY data (pg-copy-streams on the server, PGlite's
 * /dev/blob when embedded); nothing else ever sees the statement.
 */
export const COPY_TAG = '/* creditops:copy-from-stdin */ ';

export async function copyRows(db: Kysely<DB>, statement: string, data: string): Promise<void> {
  if (data === '') return;
  await db.executeQuery(CompiledQuery.raw(COPY_TAG + statement, [data]));
}

const NEEDS_QUOTES = /[",\r\n\\]/u;

/**
 * One field of COPY's CSV format. Text is always quoted, so an empty string stays an empty
 * string; `null` is the unquoted empty field COPY reads as NULL.
 */
export function csvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : `"${value}"`;
}

export function csvValue(value: number | boolean | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}
