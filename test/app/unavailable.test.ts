import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/app/unavailable.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { createTestDatabase } from '../support/database.ts';

// A request that failed because the database could not be reached is told to try again;
// anything else still counts as a fault with an incident reference.

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe(isDatabaseUnavailable.name, () => {
  it('knows a refused connection', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: await closedPort(), user: 'x' });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('knows a connection cut by a server that went away', async () => {
    // What node-postgres reports when the socket closes under a query.
    const cut = new Error('Connection terminated unexpectedly');
    expect(isDatabaseUnavailable(cut)).toBe(true);
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        code: '57P01',
      },
    );
    expect(isDatabaseUnavailable(shutdown)).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: shutdown }))).toBe(true);
  });

  it('does not take a bad query or a refusal of ours for an outage', async () => {
    const database = await createTestDatabase();
    try {
      const error = await database.db
        .selectFrom('no_such_table' as 'customers')
        .selectAll()
        .execute()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(false);
    } finally {
      await database.close();
    }
    expect(isDatabaseUnavailable(new DomainError('errors.permission.denied', {}))).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });
});
