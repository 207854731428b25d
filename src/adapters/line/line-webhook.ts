import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { validateSignature, type webhook } from '@line/bot-sdk';
import type { Logger } from '../../app/ports.ts';
import { parseCallback } from './line-parse.ts';

// POST /line/webhook. The signature is checked over the raw bytes before anything is parsed
// (a re-serialised body would not match: LINE sends emoji as \uXXXX escapes), in constant
// time by the SDK's validateSignature. LINE is answered 200 as soon as the body is known to
// be LINE's, and the events are handled after: LINE waits only a second or two, and a
// customer search or an approval can take longer; a late answer counts as a failed
// delivery and may be redelivered. A process that dies between the 200 and the answer loses
// that message (the person sends it again); every change it made is committed whole or not
// at all, and a redelivered event changes nothing twice (the core claims its webhookEventId).

export interface LineWebhookOptions {
  readonly channelSecret: string;
  readonly logger: Logger;
  /** Takes the events of a verified body; the answer to LINE does not wait for them. */
  readonly onEvents: (events: webhook.Event[]) => void;
  /** Bytes; LINE batches a few events per request, far below this. */
  readonly bodyLimit?: number;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** What a sender of an oversized body may still send, thrown away, before it is cut off. */
const DISCARD_FACTOR = 4;

function reply(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(status === 200 ? 'OK' : '');
}

/**
 * The raw body, or undefined once it has passed `limit` (answered 413 then). The rest of an
 * oversized body is read and thrown away: closing the connection while it still arrives
 * makes the kernel reset it, and the sender may lose the 413 with it.
 */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const refuse = () => {
      over = true;
      reply(res, 413);
      resolve(undefined);
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) refuse();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > DISCARD_FACTOR * limit) req.destroy();
        return;
      }
      if (size > limit) {
        refuse();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export function createLineWebhook(options: LineWebhookOptions): RequestListener {
  const { channelSecret, logger, onEvents } = options;
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      reply(res, 405, { allow: 'POST' });
      req.resume();
      return;
    }
    const raw = await readBody(req, res, limit);
    if (raw === undefined) return;
    const signature = req.headers['x-line-signature'];
    if (typeof signature !== 'string' || !validateSignature(raw, channelSecret, signature)) {
      logger.warn('line webhook refused: signature missing or wrong', {});
      reply(res, 401);
      return;
    }
    const body = parseCallback(raw);
    if (!body) {
      reply(res, 400);
      return;
    }
    // The console's Verify button sends no events; it wants the 200 only.
    reply(res, 200);
    if (body.events.length > 0) onEvents(body.events);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('line webhook failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      reply(res, 500);
    });
  };
}
