import type { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Logger } from '../../src/app/ports.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import type { HttpEnv } from '../../src/http/context.ts';
import { createHttpApp } from '../../src/http/server.ts';
import { loadPolicy } from '../../src/policy-files.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The HTTP app over a real test database, driven with `app.request()` (no socket).

export const TOKEN = 'erp-sync-token-0123456789';
export const OTHER_TOKEN = 'bank-feed-token-0123456789';
export const TOKENS: ReadonlyMap<string, string> = new Map([
  [TOKEN, 'erp-sync'],
  [OTHER_TOKEN, 'bank-feed'],
]);

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export interface Harness {
  readonly app: Hono<HttpEnv>;
  readonly logged: LogLine[];
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

export function createHarness(database: Pick<TestDatabase, 'store'>): Harness {
  const logged: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logged.push({ level, message, fields });
    };
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  const app = createHttpApp({
    store: database.store,
    clock: { now: () => TEST_NOW },
    i18n: createI18n(),
    logger,
    defaultLocale: 'en',
    timeZone: TEST_TIMEZONE,
    policy: loadPolicy(),
    apiTokens: TOKENS,
  });
  const auth = { Authorization: `Bearer ${TOKEN}` };
  return {
    app,
    logged,
    post: async (path, body, headers = {}) =>
      app.request(path, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: async (path, headers = {}) => app.request(path, { headers: { ...auth, ...headers } }),
  };
}

export type CountedTable =
  | 'customers'
  | 'invoices'
  | 'payments'
  | 'orders'
  | 'credit_reports'
  | 'credit_events'
  | 'idempotency_keys'
  | 'audit_log';

export async function countRows(database: TestDatabase, table: CountedTable): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db);
  return rows[0]?.n ?? 0;
}

/** A JSON body, as the type the test expects it to be. */
export async function jsonOf<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A problem+json body, typed loosely for assertions. */
export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  if (!response.headers.get('content-type')?.startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${response.headers.get('content-type')}`);
  }
  return (await response.json()) as Record<string, unknown>;
}

/**
 * A database of its own for the calling test file and the app over it, opened before the
 * file's tests and closed after them; `assign` hands both to the file's variables.
 */
export function withHarness(
  base: 'empty' | 'demo',
  assign: (database: TestDatabase, http: Harness) => void,
): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase({ base });
    assign(database, createHarness(database));
  });
  afterAll(async () => {
    await database?.close();
  });
}
