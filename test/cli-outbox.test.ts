import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { createOutboxQueue } from '../src/db/outbox-repository.ts';
import { createStore } from '../src/db/store.ts';
import { cleanEnv, run } from './support/process.ts';

// `npx creditops outbox …` as an operator runs it after Slack refused two messages: a data
// directory where the bot gave them up, then the real command line.

let dataDir: string;
const cli = (args: string[]) => run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir }));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-outbox-'));
  const database = await openEmbeddedDatabase({ dataDir });
  try {
    await migrateToLatest(database.db);
    await createStore(database.db).outbox.enqueue(
      ['C0GONE', 'C0ARCHIVED', 'C0WAITING'].map((channel) => ({
        platform: 'slack',
        channel,
        kind: 'post' as const,
        payload: { type: 'digest' },
      })),
    );
    const queue = createOutboxQueue(database.db);
    const now = new Date();
    const claimed = await queue.claim({
      now,
      leaseUntil: new Date(now.getTime() + 30_000),
      limit: 3,
    });
    for (const d of claimed) {
      if (d.channel === 'C0WAITING') {
        await queue.retryAt({ id: d.id, attempts: d.attempts, at: now, error: 'slack: HTTP 503' });
      } else {
        const error = `slack chat.postMessage: ${d.channel === 'C0GONE' ? 'channel_not_found' : 'is_archived'}`;
        await queue.markDead({ id: d.id, attempts: d.attempts, error });
      }
    }
  } finally {
    await database.close();
  }
}, 60_000);
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx creditops outbox', () => {
  it('lists the dead messages, sends them all again, and refuses a bad number', async () => {
    const dead = await cli(['outbox', 'list', '--dead']);
    expect(dead.stderr).toBe('');
    expect(dead.code).toBe(0);
    const lines = dead.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+Status\s+To\s+Message\s+Attempts\s+Next attempt\s+Last error$/);
    expect(lines[2]).toMatch(
      /^ 2\s+Given up\s+slack:C0ARCHIVED\s+Daily digest \(channel post\)\s+1\s+—\s+slack chat\.postMessage: is_archived$/,
    );
    expect(lines[3]).toMatch(/^ 1\s+Given up\s+slack:C0GONE\s/);
    expect(lines.slice(4)).toEqual([
      '2 messages, newest first.',
      'Once the cause is fixed, send a message again with npx creditops outbox retry ID (or --all-dead).',
    ]);

    const retried = await cli(['outbox', 'retry', '--all-dead']);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toBe('2 messages will be sent again: #1, #2.\n');

    const listed = await cli(['outbox', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect(
      JSON.parse(listed.stdout).map((e: { channel: string; status: string; attempts: number }) => [
        e.channel,
        e.status,
        e.attempts,
      ]),
    ).toEqual([
      ['C0WAITING', 'pending', 1],
      ['C0ARCHIVED', 'pending', 0],
      ['C0GONE', 'pending', 0],
    ]);

    const bad = await cli(['outbox', 'retry', 'seven']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('“seven” is not a message number');
    const notDead = await cli(['outbox', 'retry', '3']);
    expect(notDead.code).toBe(1);
    expect(notDead.stderr).toContain('Message #3 was not given up');
  }, 120_000);
});
