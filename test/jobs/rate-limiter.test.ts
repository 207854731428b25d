import { describe, expect, it } from 'vitest';
import type { OutboxKind } from '../../src/app/outbox-ports.ts';
import {
  createRateLimiter,
  DEFAULT_RATE_LIMITS,
  isTelegramGroup,
} from '../../src/jobs/rate-limiter.ts';

// The limiter alone, on hand-picked instants: when may each message of a burst go?

const T0 = Date.parse('2026-11-24T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

/** Sends `count` messages as early as the limiter allows; the offsets (ms from T0) they go at. */
function burst(
  limiter: ReturnType<typeof createRateLimiter>,
  target: { platform: string; channel: string; kind: OutboxKind },
  count: number,
): number[] {
  const times: number[] = [];
  let now = T0;
  while (times.length < count) {
    const wait = limiter.take(target, new Date(now));
    if (wait === undefined) times.push(now - T0);
    else now = wait.getTime();
  }
  return times;
}

describe(createRateLimiter.name, () => {
  it('lets one Slack message a second into a channel, each channel on its own', () => {
    const limiter = createRateLimiter(DEFAULT_RATE_LIMITS);
    const c1 = { platform: 'slack', channel: 'C1', kind: 'post' } as const;
    const c2 = { platform: 'slack', channel: 'C2', kind: 'post' } as const;

    expect(limiter.take(c1, at(0))).toBeUndefined();
    expect(limiter.take(c2, at(0))).toBeUndefined();
    expect(limiter.take(c1, at(400))).toEqual(at(1000));
    expect(limiter.take(c1, at(1000))).toBeUndefined();
    expect(burst(createRateLimiter(DEFAULT_RATE_LIMITS), c1, 5)).toEqual([
      0, 1000, 2000, 3000, 4000,
    ]);
  });

  it('counts Slack edits apart from posts: an edit right after its post waits for nothing', () => {
    const limiter = createRateLimiter(DEFAULT_RATE_LIMITS);
    const post = { platform: 'slack', channel: 'C1', kind: 'post' } as const;
    const edit = { ...post, kind: 'update' } as const;
    expect(limiter.take(post, at(0))).toBeUndefined();
    expect(limiter.take(edit, at(0))).toBeUndefined();
    expect(limiter.take(post, at(0))).toEqual(at(1000));
    // chat.update: 50 a minute across the workspace.
    for (let i = 1; i < 50; i++) {
      expect(limiter.take({ ...edit, channel: `C${i}` }, at(i))).toBeUndefined();
    }
    expect(limiter.take({ ...edit, channel: 'C99' }, at(100))).toEqual(at(60_000));
  });

  it('holds the 21st message to a Telegram group in a minute until the first is a minute old', () => {
    const limiter = createRateLimiter(DEFAULT_RATE_LIMITS);
    const times = burst(
      limiter,
      { platform: 'telegram', channel: '-1001234567890', kind: 'post' },
      22,
    );

    // 1 a second per chat for the first 20, then the group's 20 a minute.
    expect(times.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));
    expect(times[20]).toBe(60_000);
    expect(times[21]).toBe(61_000);
  });

  it('lets a Telegram user chat have a message a second without the group limit', () => {
    const times = burst(
      createRateLimiter(DEFAULT_RATE_LIMITS),
      { platform: 'telegram', channel: '12345', kind: 'direct' },
      25,
    );
    expect(times[24]).toBe(24_000);
  });

  it('sends at most 30 Telegram messages a second across chats', () => {
    const limiter = createRateLimiter(DEFAULT_RATE_LIMITS);
    const waits = Array.from({ length: 31 }, (_, i) =>
      limiter.take({ platform: 'telegram', channel: String(1000 + i), kind: 'direct' }, at(0)),
    );
    expect(waits.slice(0, 30).every((w) => w === undefined)).toBe(true);
    expect(waits[30]).toEqual(at(1000));
  });

  it('counts nothing for a message that must wait', () => {
    const limiter = createRateLimiter({
      x: [{ per: 'channel', limit: 2, windowMs: 1000 }],
    });
    const c = { platform: 'x', channel: 'c', kind: 'post' } as const;
    expect(limiter.take(c, at(0))).toBeUndefined();
    expect(limiter.take(c, at(100))).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(limiter.take(c, at(200))).toEqual(at(1000));
    expect(limiter.take(c, at(1000))).toBeUndefined();
    expect(limiter.take(c, at(1050))).toEqual(at(1100));
  });

  it('does not limit a platform without rules', () => {
    const limiter = createRateLimiter({ ...DEFAULT_RATE_LIMITS, slack: [] });
    const c = { platform: 'slack', channel: 'C1', kind: 'post' } as const;
    for (let i = 0; i < 10; i++) expect(limiter.take(c, at(0))).toBeUndefined();
    expect(
      limiter.take({ platform: 'console', channel: 'ops', kind: 'post' }, at(0)),
    ).toBeUndefined();
  });

  it('tells Telegram groups (negative chat ids) from people', () => {
    expect(isTelegramGroup('-1001234567890')).toBe(true);
    expect(isTelegramGroup('-42')).toBe(true);
    expect(isTelegramGroup('42')).toBe(false);
  });
});
