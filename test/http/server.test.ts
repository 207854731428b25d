import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_KINDS, FIELDS } from '../../src/app/ingest/entities.ts';
import { LOCALES } from '../../src/app/locales.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { type Database, openServerDatabase } from '../../src/db/connection.ts';
import { createStore } from '../../src/db/store.ts';
import { requestLocale } from '../../src/http/context.ts';
import { PROBLEM_TYPES } from '../../src/http/problem.ts';
import { type HttpServer, startHttpServer } from '../../src/http/server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createHarness, type Harness, jsonOf, problemOf, TOKEN } from './http-harness.ts';

// The server around the API: health, metrics, the OpenAPI document, the error boundary and
// the body limit over a real socket.

let database: TestDatabase;
let unreachable: Database;
let http: Harness;
let broken: Harness;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
  http = createHarness(database);
  // Nothing listens on port 1: the real driver fails to connect, as with a server down.
  unreachable = openServerDatabase({ url: 'postgres://creditops@127.0.0.1:1/none', poolSize: 1 });
  broken = createHarness({ store: createStore(unreachable.db) });
});
afterAll(async () => {
  await database?.close();
  await unreachable?.close();
});

describe('/healthz', () => {
  it('answers ok after a round trip to the database', async () => {
    const response = await http.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database cannot be reached', async () => {
    const response = await broken.app.request('/healthz');
    expect(response.status).toBe(503);
    expect((await problemOf(response)).type).toBe('https://creditops.dev/problems/unavailable');
  });
});

describe('the error boundary', () => {
  it('answers 500 with a correlation id, logs it, and shows no stack', async () => {
    // A real fault of ours: the aging reads a table this database has lost.
    const damaged = await createTestDatabase({ base: 'empty' });
    try {
      await sql`drop table payment_allocations cascade`.execute(damaged.db);
      const faulty = createHarness(damaged);
      const response = await faulty.get('/api/v1/aging?asOf=2026-11-23');
      expect(response.status).toBe(500);
      const problem = await problemOf(response);
      const id = problem.correlationId;
      expect(id).toEqual(response.headers.get('x-request-id'));
      expect(problem.detail).toContain(String(id));
      expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/);
      const line = faulty.logged.find((l) => l.level === 'error');
      expect(line?.fields).toMatchObject({ correlationId: id, path: '/api/v1/aging' });
    } finally {
      await damaged.close();
    }
  });

  it('answers 503 with Retry-After when the database cannot be reached, and logs a warning', async () => {
    const response = await broken.get('/api/v1/aging?asOf=2026-11-23');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect((await problemOf(response)).type).toBe('https://creditops.dev/problems/unavailable');
    expect(broken.logged.filter((l) => l.level === 'error')).toEqual([]);
    expect(broken.logged.some((l) => l.level === 'warn')).toBe(true);
  });
});

describe('/metrics', () => {
  it('counts requests by method, route pattern and status, and shows the uptime', async () => {
    await http.get('/api/v1/customers/NOPE');
    await http.get('/api/v1/customers/NADA');
    await http.app.request('/nowhere/else');
    const response = await http.app.request('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE creditops_http_requests_total counter');
    expect(text).toContain(
      'creditops_http_requests_total{method="GET",route="/api/v1/customers/:code",status="404"} 2',
    );
    expect(text).toContain(
      'creditops_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    );
    expect(text).toMatch(/^process_uptime_seconds \d+(\.\d+)?$/m);
  });
});

/** The parts of the document these tests look at. */
interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
  readonly components: {
    readonly securitySchemes: Record<string, unknown>;
    readonly schemas: Record<
      string,
      {
        properties: Record<string, { format?: string; enum?: string[] }>;
        required?: string[];
        allOf?: unknown;
        additionalProperties?: boolean;
      }
    >;
  };
}

describe('/api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with a path for every entity', async () => {
    const response = await http.app.request('/api/v1/openapi.json');
    const document = JSON.parse(await response.text()) as OpenApiDocument;
    expect(document.openapi).toBe('3.1.0');
    const paths = Object.keys(document.paths);
    for (const segment of ENTITY_KINDS.map((k) => (k === 'events' ? 'credit-events' : k))) {
      expect(paths).toContain(`/${segment}`);
      expect(document.paths[`/${segment}`]?.post?.responses['422']).toBeDefined();
    }
    expect(paths).toEqual(expect.arrayContaining(['/customers/{code}', '/aging']));
    expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
  });

  it('describes every field of the FIELDS table, amounts both ways', async () => {
    const document = await jsonOf<OpenApiDocument>(await http.app.request('/api/v1/openapi.json'));
    const invoice = document.components.schemas.InvoiceItem;
    if (!invoice) throw new Error('no InvoiceItem schema');
    const names = FIELDS.invoices.map((f) => f.name);
    expect(Object.keys(invoice.properties)).toEqual(
      expect.arrayContaining([...names, 'amountMinor', 'openAmountMinor']),
    );
    expect(invoice.required).toEqual(['externalId', 'customerCode', 'issuedOn']);
    expect(invoice.allOf).toEqual([
      { anyOf: [{ required: ['amount'] }, { required: ['amountMinor'] }] },
    ]);
    expect(invoice.additionalProperties).toBe(false);
    expect(invoice.properties.issuedOn?.format).toBe('date');
    expect(document.components.schemas.CreditEventItem?.properties.kind?.enum).toContain('news');
  });
});

describe('problem texts', () => {
  it('has a title and a detail for every problem type in every language', () => {
    const { t } = createI18n();
    for (const locale of LOCALES) {
      for (const type of PROBLEM_TYPES) {
        for (const part of ['title', 'detail']) {
          expect(t(locale)(`problem.${type}.${part}`), `${locale} ${type}`).not.toMatch(
            /^problem\./,
          );
        }
      }
    }
  });

  it.each([
    ['ja-JP,ja;q=0.9,en;q=0.8', 'ja'],
    ['fr-FR, zh-Hans;q=0.5, en;q=0.4', 'zh'],
    ['en;q=0, ja', 'ja'],
    ['de, fr', 'en'],
    [undefined, 'en'],
  ] as const)('reads Accept-Language %s as %s', (header, locale) => {
    expect(requestLocale(header, 'en')).toBe(locale);
  });
});

describe('over a real socket', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer(http.app, 0);
  });
  afterAll(async () => {
    await server?.close();
  });

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

  it('serves the API', async () => {
    const response = await fetch(url('/api/v1/aging?asOf=2026-11-23'), { headers });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([]);
  });

  it('answers 413 to a 10 MB body', async () => {
    const body = new Uint8Array(10 * 1024 * 1024).fill(0x20);
    const response = await fetch(url('/api/v1/customers'), { method: 'POST', headers, body });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 413 to a chunked 10 MB body without reading it all', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const init = { method: 'POST', headers, body, duplex: 'half' } as RequestInit;
    const response = await fetch(url('/api/v1/customers'), init);
    expect(response.status).toBe(413);
  });
});
