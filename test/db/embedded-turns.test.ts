import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openEmbeddedDatabase } from '../../src/db/connection.ts';

// The embedded engine runs in the bot's own thread. However long its queue of queries, the
// rest of the process (acknowledging Slack within its three seconds, answering health checks,
// timers) must get its turn between them, not only once the queue is empty.

let database: Database;
beforeAll(async () => {
  // Runs against the server prepare no embedded base: then a fresh one, which takes longer.
  const paths = inject('embeddedBase');
  database = await openEmbeddedDatabase(
    paths ? { loadDataDir: new Blob([readFileSync(paths.empty)]) } : {},
  );
});
afterAll(async () => {
  await database?.close();
});

describe('the embedded engine', () => {
  it('lets a timer run while a long queue of queries is worked through', async () => {
    const queries = 500;
    let answered = 0;
    const queue = Promise.all(
      Array.from({ length: queries }, () =>
        sql`select 1`.execute(database.db).then(() => {
          answered += 1;
        }),
      ),
    );
    const answeredWhenTimerRan = await new Promise<number>((resolve) =>
      setTimeout(() => resolve(answered), 0),
    );
    await queue;
    expect(answered).toBe(queries);
    expect(answeredWhenTimerRan).toBeLessThan(queries);
  });
});
