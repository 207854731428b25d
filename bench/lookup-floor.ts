import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sql } from 'kysely';
import type { Database } from '../src/db/connection.ts';
import type { NodeRoute } from '../src/http/server.ts';

// The look-up benchmark's floor: the least a signed slash command can cost on the bot's server.
// Mounted beside Slack's route, it does what Bolt's receiver does before any listener runs
// (read the raw body, check the timestamp and the signature, parse the form, acknowledge),
// then one database round trip, `select 1`, and the answer to the same fake response_url.

export const FLOOR_PATH = '/bench/floor';
const FIVE_MINUTES_S = 5 * 60;

async function rawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function signed(secret: string, req: IncomingMessage, body: string): boolean {
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  const signature = String(req.headers['x-slack-signature'] ?? '');
  if (!Number.isFinite(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - timestamp) > FIVE_MINUTES_S) return false;
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return (
    signature.length === expected.length &&
    timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

export function floorRoute(database: Database, signingSecret: string): NodeRoute {
  const answer = async (responseUrl: string) => {
    const result = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: `pong ${result.rows[0]?.one}` }),
    });
  };
  return {
    path: FLOOR_PATH,
    listener(req: IncomingMessage, res: ServerResponse) {
      void rawBody(req).then((body) => {
        if (!signed(signingSecret, req, body)) {
          res.writeHead(401);
          res.end();
          return;
        }
        const responseUrl = new URLSearchParams(body).get('response_url');
        res.writeHead(200);
        res.end();
        if (responseUrl) void answer(responseUrl);
      });
    },
  };
}
