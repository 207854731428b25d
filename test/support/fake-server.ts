import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// What the fake platform servers (Slack, LINE, Telegram) share: an HTTP server on a free
// local port, request bodies, waiting for what the bot under test does, and a quick close.

const POLL_MS = 10;

/** An HTTP server listening on a free port of 127.0.0.1, and its base URL. */
export async function listenLocally(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Stops the server at once, open connections and all. */
export async function closeNow(server: Server): Promise<void> {
  // fetch (undici) and grammY keep sockets alive; without this close() waits for them to time out.
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Polls `check` every 10 ms until it returns something other than undefined, null or false;
 * on timeout the error says what was awaited and what `explain` adds.
 */
export async function poll<T>(
  check: () => T | undefined | null | false,
  timeoutMs: number,
  explain: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms ${explain()}`);
    await sleep(POLL_MS);
  }
}
