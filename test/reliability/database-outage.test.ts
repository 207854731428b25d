import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditGaps } from './support/audit.ts';
import { CAST, CAST_SEED } from './support/cast.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// The database server restarts (an upgrade, a failover) while people use the bot. The bot
// talks to PostgreSQL through a proxy of the test's own: cutting every connection and refusing
// new ones is what a restart looks like from the bot's side. Server engine only — an embedded
// database lives inside the bot's process and cannot go away on its own.

interface Proxy {
  readonly port: number;
  /** Drops every connection and refuses new ones, as a server going down does. */
  cut(): void;
  /** Lets connections through again, as the server back up. */
  restore(): void;
  close(): Promise<void>;
}

async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  const open = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let bot: ReliabilityBot;
let proxy: Proxy;
const { viewer, collector } = CAST;
const OUTAGE_NOTE = '[during the outage]';

beforeAll(async () => {
  const server = new URL(process.env.RELIABILITY_DATABASE_URL ?? 'postgres://127.0.0.1:5432/');
  proxy = await startProxy({ host: server.hostname, port: Number(server.port || 5432) });
  bot = await startBot({
    seed: CAST_SEED,
    databaseUrl: (url) => {
      const through = new URL(url);
      through.hostname = '127.0.0.1';
      through.port = String(proxy.port);
      return through.toString();
    },
  });
});
afterAll(async () => {
  await bot?.close();
  await proxy?.close();
});

let n = 0;
async function ask(userId: string, text: string): Promise<string> {
  n += 1;
  const id = `outage-${n}`;
  const ack = await bot.slack.command(text, { userId, responseId: id, triggerId: `trigger-${id}` });
  expect(ack.status).toBe(200);
  const answer = await bot.fakes.slack.waitForResponse(id, 1, 30_000);
  return JSON.stringify(answer.body);
}

describe('the database restarted under use', () => {
  it('serves before the outage', async () => {
    // The language the answer in the gap can use is the one Slack reports: the person's own
    // choice is kept in the database that cannot be reached.
    bot.fakes.slack.setUser(viewer.slack, { locale: 'ja-JP' });
    expect(await ask(viewer.slack, 'C001')).toContain('Acme Trading');
  });

  it('tells people in the gap to try again, in their language, and writes nothing half', async () => {
    proxy.cut();
    const lookup = await ask(viewer.slack, 'C001');
    expect(lookup).toContain('データベースに接続できません');
    const log = await ask(collector.slack, `log C001 call reached ${OUTAGE_NOTE}`);
    expect(log).toContain('cannot reach its database');
    expect(log).not.toContain('reference');
    const api = await bot.api('/customers/C001', { token: 'reader' });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('30');
  });

  it('recovers without a restart once the server is back', async () => {
    proxy.restore();
    expect(await ask(viewer.slack, 'C001')).toContain('Acme Trading');
    expect(await ask(collector.slack, 'log C001 call reached [after the outage]')).not.toContain(
      'cannot reach',
    );
    expect(bot.exits).toEqual([]);
    expect(bot.running()).toBe(true);
  });

  it('kept only the whole writes, each audited once, and leaked no secret', async () => {
    const notes = await bot.read((db) => db.selectFrom('contacts').select('note').execute());
    expect(notes.map((c) => c.note)).toEqual(['[after the outage]']);
    expect(await bot.read((db) => auditGaps(db))).toEqual([]);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    expect(bot.leakedSecrets()).toEqual([]);
  });
});
