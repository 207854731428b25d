import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineWebhook } from '../../../src/adapters/line/line-webhook.ts';
import { quietLogger } from '../../support/bot.ts';
import { closeNow } from '../../support/fake-server.ts';
import { postOversized } from '../../support/oversized-body.ts';

// A sender of a body over the limit hears 413: the rest of its body is read and dropped
// rather than the connection cut under it, which would lose the answer in a reset.

const LIMIT = 64 * 1024;
let server: Server;
let url: string;
const taken: unknown[] = [];

beforeAll(async () => {
  const listener = createLineWebhook({
    channelSecret: 'line-webhook-test-secret',
    logger: quietLogger,
    onEvents: (events) => taken.push(...events),
    bodyLimit: LIMIT,
  });
  server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/line/webhook`;
});
afterAll(async () => {
  await closeNow(server);
});

const headers = { 'content-type': 'application/json', 'x-line-signature': 'unchecked' };

describe(createLineWebhook.name, () => {
  it('answers 413 to an announced oversized body and lets the sender finish sending it', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await postOversized(url, { bytes: 3 * LIMIT, headers, restAfterAnswer: true });
      expect(answer).toMatchObject({ status: 413, completed: true });
    }
  });

  it('answers 413 to a body streamed past the limit without a Content-Length', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await postOversized(url, { bytes: 3 * LIMIT, headers, chunked: true });
      expect(answer.status).toBe(413);
    }
    expect(taken).toEqual([]);
  });
});
