import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWebhookListener,
  SECRET_HEADER,
  WEBHOOK_BODY_LIMIT,
} from '../../../src/adapters/telegram/telegram-webhook.ts';
import { closeNow } from '../../support/fake-server.ts';
import { postOversized } from '../../support/oversized-body.ts';

// A sender the webhook refuses still hears why: the rest of its body is read and dropped
// rather than the connection cut under it, which would lose the answer in a reset.

const SECRET = 'webhook-test-secret_0123456789';
let server: Server;
let url: string;
const taken: unknown[] = [];

beforeAll(async () => {
  server = createServer(createWebhookListener({ secret: SECRET, onUpdate: (u) => taken.push(u) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`;
});
afterAll(async () => {
  await closeNow(server);
});

const headers = { 'content-type': 'application/json', [SECRET_HEADER]: SECRET };
const prefix = '{"update_id":1,"filler":"';

describe(createWebhookListener.name, () => {
  it('answers 413 to a body streamed past the limit without a Content-Length', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await postOversized(url, {
        bytes: 2 * WEBHOOK_BODY_LIMIT,
        headers,
        prefix,
        chunked: true,
      });
      expect(answer.status).toBe(413);
    }
  });

  it('answers 413 to an announced oversized body and lets the sender finish sending it', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await postOversized(url, {
        bytes: 2 * WEBHOOK_BODY_LIMIT,
        headers,
        prefix,
        restAfterAnswer: true,
      });
      expect(answer).toMatchObject({ status: 413, completed: true });
    }
  });

  it('answers 401 to a body without the secret and lets the sender finish sending it', async () => {
    const stranger = { 'content-type': 'application/json' };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await postOversized(url, {
        bytes: WEBHOOK_BODY_LIMIT,
        headers: stranger,
        restAfterAnswer: true,
      });
      expect(answer).toMatchObject({ status: 401, completed: true });
    }
    expect(taken).toEqual([]);
  });
});
