import type { webApi } from '@slack/bolt';
import type { Logger } from '../../app/ports.ts';

// Who a Slack user is, for the language and the name we answer with. users.info costs a
// Web API call (Tier 4), so answers are kept for an hour; a failure only means we fall
// back to the channel's or the default language, never that the command fails.

export interface SlackPerson {
  readonly locale: string | undefined;
  readonly name: string | undefined;
}

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export interface SlackPeople {
  person(client: webApi.WebClient, userId: string): Promise<SlackPerson>;
}

export function createSlackPeople(logger: Logger, now: () => number = Date.now): SlackPeople {
  const cache = new Map<string, { person: SlackPerson; at: number }>();
  return {
    async person(client, userId) {
      const hit = cache.get(userId);
      if (hit && now() - hit.at < TTL_MS) return hit.person;
      try {
        const answer = await client.users.info({ user: userId, include_locale: true });
        const user = answer.user;
        const person: SlackPerson = {
          locale: user?.locale,
          name: user?.profile?.display_name || user?.real_name || user?.name || undefined,
        };
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value ?? '');
        cache.set(userId, { person, at: now() });
        return person;
      } catch (error) {
        logger.warn('slack users.info failed; answering in the channel or default language', {
          error: error instanceof Error ? error.message : String(error),
        });
        return { locale: undefined, name: undefined };
      }
    },
  };
}
