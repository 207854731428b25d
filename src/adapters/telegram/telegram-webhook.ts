import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';

// POST /telegram/webhook on the bot's one HTTP server. The secret Telegram was given in
// setWebhook comes back in a header; it is checked before a byte of the body is read, the
// body is held to a size no update reaches, and the update is acknowledged as soon as it is
// parsed: the work runs afterwards, so a slow database never makes Telegram send it again
// (it re-sends what is not answered in time, and grammY's own callback gives up at 10 s).

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** An update is a few KB (a 4,096-character message and what it replies to); 256 KB is ample. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Compares in constant time whatever the lengths, so the secret's length does not leak. */
function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(secret));
}

function refuse(res: ServerResponse, status: number, headers: Record<string, string> = {}) {
  // The body is left unread: the connection closes instead of draining it.
  res.writeHead(status, { connection: 'close', ...headers }).end();
}

/** The body, or undefined when it grew past the limit (and the request was answered). */
async function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > WEBHOOK_BODY_LIMIT) {
      refuse(res, 413);
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseUpdate(body: Buffer): Update | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    const id = (value as { update_id?: unknown } | null)?.update_id;
    return Number.isSafeInteger(id) ? (value as Update) : undefined;
  } catch {
    return undefined;
  }
}

/** The Node listener; `onUpdate` runs each update after the answer has gone. */
export function createWebhookListener(input: {
  readonly secret: string;
  readonly onUpdate: (update: Update) => void;
}): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') return refuse(res, 405, { allow: 'POST' });
    if (!sameSecret(req.headers[SECRET_HEADER], input.secret)) return refuse(res, 401);
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) return refuse(res, 413);
    void (async () => {
      const body = await readBody(req, res);
      if (!body) return;
      const update = parseUpdate(body);
      if (!update) return refuse(res, 400);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      input.onUpdate(update);
    })().catch(() => {
      // The client went away mid-body: nothing was taken, so nothing is owed.
      if (!res.headersSent) refuse(res, 400);
    });
  };
}
