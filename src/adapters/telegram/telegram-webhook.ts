import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';

// POST /telegram/webhook on the bot's one HTTP server. The secret Telegram was given in
// setWebhook comes back in a header; it is checked before the body is looked at, the body is
// held to a size no update reaches, and the update is acknowledged as soon as it is parsed:
// the work runs afterwards, so a slow database never makes Telegram send it again (it
// re-sends what is not answered in time, and grammY's own callback gives up at 10 s).

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

/** What a refused sender may still send, thrown away, before its connection is cut. */
const DISCARD_LIMIT = 4 * WEBHOOK_BODY_LIMIT;

/**
 * Answers and throws the rest of the body away unread. Closing the connection with the body
 * still arriving makes the kernel reset it, and the sender may lose the answer with it (it
 * sees a broken pipe, not the 401 or 413); a sender that goes on past the limit is cut off.
 */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, headers).end();
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT) req.destroy();
  });
  req.resume();
}

/** The body, or undefined when it grew past the limit (and the request was answered). */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= WEBHOOK_BODY_LIMIT) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      refuse(req, res, 413);
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
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
    if (req.method !== 'POST') return refuse(req, res, 405, { allow: 'POST' });
    if (!sameSecret(req.headers[SECRET_HEADER], input.secret)) return refuse(req, res, 401);
    if (Number(req.headers['content-length'] ?? 0) > WEBHOOK_BODY_LIMIT) {
      return refuse(req, res, 413);
    }
    void (async () => {
      const body = await readBody(req, res);
      if (!body) return;
      const update = parseUpdate(body);
      if (!update) return refuse(req, res, 400);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      input.onUpdate(update);
    })().catch(() => {
      // The client went away mid-body: nothing was taken, so nothing is owed.
      if (!res.headersSent) res.writeHead(400).end();
    });
  };
}
