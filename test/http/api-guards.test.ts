import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/api.ts';
import { MAX_ITEMS } from '../../src/http/batch.ts';
import type { TestDatabase } from '../support/database.ts';
import { countRows, type Harness, problemOf, TOKEN, withHarness } from './http-harness.ts';

// What stands before the ledger: the bearer token, the body limit, the JSON and its shape.

let database: TestDatabase;
let http: Harness;

withHarness('empty', (d, h) => {
  database = d;
  http = h;
});

const customer = { code: 'G001', legalName: 'Guard KK', country: 'JP', currency: 'JPY' };
const TEN_MB = 10 * 1024 * 1024;

describe('bearer authentication', () => {
  it('answers 401 problem+json with a Bearer challenge when there is no token', async () => {
    const response = await http.app.request('/api/v1/customers', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [customer] }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="creditops"$/);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({
      type: 'https://creditops.dev/problems/unauthorized',
      status: 401,
      title: 'Authentication required',
    });
    expect(await countRows(database, 'customers')).toBe(0);
  });

  it.each([
    ['a wrong token', `Bearer ${TOKEN.slice(0, -1)}x`],
    ['a longer token', `Bearer ${TOKEN}${TOKEN}`],
    ['another scheme', `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`],
  ])('answers 401 for %s', async (_, authorization) => {
    const response = await http.app.request('/api/v1/aging', { headers: { authorization } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await problemOf(response)).status).toBe(401);
  });

  it('lets the OpenAPI document through without a token', async () => {
    expect((await http.app.request('/api/v1/openapi.json')).status).toBe(200);
  });

  it('never writes a token to the log', async () => {
    await http.post('/api/v1/customers', { items: [customer] });
    await http.app.request('/api/v1/aging', { headers: { authorization: 'Bearer nope-nope' } });
    const text = JSON.stringify(http.logged);
    expect(http.logged.some((l) => l.fields?.actor === 'erp-sync')).toBe(true);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('nope-nope');
  });
});

describe('request bodies', () => {
  it('answers 400 for malformed JSON', async () => {
    const response = await http.post('/api/v1/customers', '{"items": [');
    expect(response.status).toBe(400);
    expect((await problemOf(response)).type).toBe('https://creditops.dev/problems/malformed-json');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await http.post('/api/v1/customers', 'code=G001', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });

  it.each([
    ['no items', {}],
    ['an empty batch', { items: [] }],
    ['items that are not a list', { items: { code: 'G001' } }],
  ])('answers 422 for %s', async (_, body) => {
    const response = await http.post('/api/v1/customers', body);
    expect(response.status).toBe(422);
    expect((await problemOf(response)).type).toBe('https://creditops.dev/problems/bad-body');
  });

  it(`refuses more than ${MAX_ITEMS} items with a clear message`, async () => {
    const items = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ ...customer, code: `B${i}` }));
    const response = await http.post('/api/v1/customers', { items });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.type).toBe('https://creditops.dev/problems/too-many-items');
    expect(problem.detail).toBe(
      'A request takes at most 1000 items; this one has 1001. Split it into smaller batches.',
    );
    expect(await countRows(database, 'customers')).toBe(1);
  });

  it('answers 413 to a 10 MB body announced by Content-Length', async () => {
    const padding = 'x'.repeat(TEN_MB);
    const response = await http.post('/api/v1/customers', { items: [{ ...customer, padding }] });
    expect(response.status).toBe(413);
    const problem = await problemOf(response);
    expect(problem.type).toBe('https://creditops.dev/problems/payload-too-large');
    expect(problem.detail).toContain('5 MB');
  });

  it('stops reading a streamed 10 MB body soon after 5 MB', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= TEN_MB) return controller.close();
        pulled += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await http.app.request('/api/v1/customers', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(pulled).toBeGreaterThan(MAX_BODY_BYTES);
    expect(pulled).toBeLessThan(MAX_BODY_BYTES + 1024 * 1024);
  });
});

describe('routes', () => {
  it('answers 404 problem+json for an unknown route under /api/v1', async () => {
    const response = await http.get('/api/v1/suppliers');
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({
      type: 'https://creditops.dev/problems/not-found',
      detail: 'There is nothing at /api/v1/suppliers.',
    });
  });

  it('answers 404 for a method the route does not take', async () => {
    expect((await http.app.request('/api/v1/aging', { method: 'DELETE' })).status).toBe(401);
    const response = await http.app.request('/api/v1/aging', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(404);
  });
});
