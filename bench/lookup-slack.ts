import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The Slack the look-up benchmark talks to: the few Web API methods a slash command touches
// (auth.test, users.info) and response_url endpoints that hand each answer straight to the
// request waiting for it. The test suite's fake Slack records everything and is polled every
// 10 ms, which would blur a measurement of milliseconds; this one wakes the waiter at once.

export interface BenchSlack {
  /** The Web API base, for the adapter's apiUrl. */
  readonly apiUrl: string;
  responseUrl(id: string): string;
  /** Resolves with the answer's body when it reaches response_url `id`. */
  answer(id: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const LOCALES = ['ja-JP', 'en-US', 'zh-CN'];

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function api(method: string, raw: string): Record<string, unknown> {
  if (method === 'auth.test') {
    return { ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT', user: 'creditops' };
  }
  if (method === 'users.info') {
    const id = new URLSearchParams(raw).get('user') ?? 'U0000';
    const name = id.toLowerCase();
    const locale = LOCALES[Number(id.replace(/\D/g, '')) % LOCALES.length];
    return {
      ok: true,
      user: { id, name, real_name: name, locale, profile: { display_name: name } },
    };
  }
  return { ok: true };
}

export async function startBenchSlack(): Promise<BenchSlack> {
  const waiting = new Map<string, (body: string) => void>();
  const early = new Map<string, string>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void body(req).then((raw) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path.startsWith('/api/')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(api(path.slice('/api/'.length), raw)));
        return;
      }
      if (path.startsWith('/response_url/')) {
        const id = decodeURIComponent(path.slice('/response_url/'.length));
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        const wake = waiting.get(id);
        if (wake) wake(raw);
        else early.set(id, raw);
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${url}/api/`,
    responseUrl: (id) => `${url}/response_url/${encodeURIComponent(id)}`,
    answer(id, timeoutMs = 30_000) {
      const already = early.get(id);
      if (already !== undefined) {
        early.delete(id);
        return Promise.resolve(already);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no answer at response_url ${id} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, (raw) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(raw);
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
