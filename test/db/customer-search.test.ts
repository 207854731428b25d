import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchKeys } from '../../src/domain/names.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
});
afterAll(async () => {
  await database?.close();
});

const search = (query: string) => database.store.customers.search(searchKeys(query), 20);

describe('customers.search', () => {
  // 上海华信贸易有限公司 is stored as 上海华信贸易: two characters at its start, middle and end.
  it.each(['上海', '华信', '贸易'])(
    'finds 上海华信贸易有限公司 by the two characters %s',
    async (query) => {
      const matches = await search(query);
      expect(matches.find((m) => m.code === 'C0003')).toMatchObject({ quality: 'partial' });
    },
  );

  it('finds two characters only where they stand together', async () => {
    const matches = await search('海信');
    const partial = matches.filter((m) => m.quality !== 'similar');
    expect(partial.map((m) => m.code)).not.toContain('C0003');
  });

  it('finds customers by two characters of their code', async () => {
    const matches = await search('C0');
    expect(matches).toHaveLength(20);
    for (const m of matches) expect(m).toMatchObject({ quality: 'partial', matchedKind: 'code' });
  });
});
