import type { messagingApi } from '@line/bot-sdk';
import type { Logger } from '../../app/ports.ts';
import type { LineChat } from './line-parse.ts';
import { describe } from './line-quota.ts';

// A LINE user's display name, for the audit log and the cards ("Approved by …"). The webhook
// carries only the user id; the profile costs an API call (the group or room member
// profile inside a group, where the person need not be the bot's friend), so names are kept
// for an hour, and a failure only means the id stands in for the name.

const TTL_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;

export interface LinePeople {
  name(chat: LineChat, userId: string): Promise<string | undefined>;
}

export function createLinePeople(
  client: messagingApi.MessagingApiClient,
  logger: Logger,
  now: () => number = Date.now,
): LinePeople {
  const cache = new Map<string, { name: string; at: number }>();

  function profile(chat: LineChat, userId: string) {
    switch (chat.kind) {
      case 'group':
        return client.getGroupMemberProfile(chat.id, userId);
      case 'room':
        return client.getRoomMemberProfile(chat.id, userId);
      case 'user':
        return client.getProfile(userId);
    }
  }

  return {
    async name(chat, userId) {
      const hit = cache.get(userId);
      if (hit && now() - hit.at < TTL_MS) return hit.name;
      try {
        const { displayName } = await profile(chat, userId);
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value ?? '');
        cache.set(userId, { name: displayName, at: now() });
        return displayName;
      } catch (error) {
        logger.warn('line profile unreadable; naming the person by id', {
          error: describe(error),
        });
        return undefined;
      }
    },
  };
}
