import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/chat/bot.ts';
import { createTestBot } from '../support/bot.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// A burst of commands is answered in the order it came, a few at a time, and a stopping
// process can wait until every command it took has its answer.

let database: TestDatabase;
let bot: Bot;

beforeAll(async () => {
  database = await createTestDatabase();
  bot = createTestBot(database.store);
});
afterAll(async () => {
  await database?.close();
});

const ask = (n: number) =>
  bot.handle({
    identity: { platform: 'slack', externalId: `UTURN${n}` },
    displayName: `Person ${n}`,
    defaultRole: 'viewer',
    text: '/credit help',
  });

describe('a burst of commands', () => {
  it('works on eight at a time and answers the rest in the order they came', async () => {
    // The real store, watched: how many commands are looking their person up at once.
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const users = database.store.users;
    const watched = createTestBot({
      ...database.store,
      users: {
        ...users,
        async findByIdentity(identity) {
          started.push(Number(identity.externalId.replace('UTURN', '')));
          inFlight += 1;
          most = Math.max(most, inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return await users.findByIdentity(identity);
          } finally {
            inFlight -= 1;
          }
        },
      },
    });
    const cards = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        watched.handle({
          identity: { platform: 'slack', externalId: `UTURN${n}` },
          displayName: `Person ${n}`,
          defaultRole: 'viewer',
          text: '/credit help',
        }),
      ),
    );
    expect(cards.every((card) => card.tone !== 'error')).toBe(true);
    expect(most).toBe(8);
    // Each command's first look-up, in the order the commands were asked.
    const firsts = started.filter((n, i) => started.indexOf(n) === i);
    expect(firsts).toEqual(Array.from({ length: 40 }, (_, n) => n));
  });

  it('settles once every command taken has its answer', async () => {
    const answered: number[] = [];
    const asked = Array.from({ length: 20 }, (_, n) => ask(100 + n).then(() => answered.push(n)));
    expect(await bot.settled()).toBe(true);
    expect(answered).toHaveLength(20);
    await Promise.all(asked);
  });

  it('says so when answers are still under way after the time given', async () => {
    const asked = Array.from({ length: 20 }, (_, n) => ask(200 + n));
    expect(await bot.settled(0)).toBe(false);
    await Promise.all(asked);
    expect(await bot.settled()).toBe(true);
  });
});
