import type { Subscription } from './channel-ports.ts';
import {
  addSubscription,
  channelText,
  removeSubscription,
  type SubscriptionChange,
} from './channels.ts';
import type { Locale } from './locales.ts';
import type { Identity, Store, User } from './ports.ts';

// An owner's own digest: the morning digest of the customers they own, sent to them
// privately. It is a digest subscription like a channel's, whose "channel" is the person's
// own id on the platform (Slack posts to a user id in the app's DM, LINE pushes to a user
// id, a Telegram private chat has the user's id) and whose owner filter is the person.
// Owners opt in themselves; nobody subscribes someone else's DM.

export interface OwnDigestInput {
  /** `HH:MM`; 09:00 when not given. */
  readonly localTime?: string;
  readonly timeZone?: string;
  /** The language of the digest; the person's language when not given. */
  readonly locale?: string;
}

export interface OwnDigestDeps {
  readonly store: Store;
  /** The default time zone of a new subscription. */
  readonly timeZone: string;
}

export interface OwnDigestChange extends SubscriptionChange {
  /** How many customers the person owns: with none, the digest has no customer lists yet. */
  readonly owned: number;
}

/** The owner filter of a person's own digest: their user id, which a rename cannot break. */
export const ownerFilter = (user: User) => String(user.id);

export async function subscribeOwnDigest(
  deps: OwnDigestDeps,
  user: User,
  where: { readonly identity: Identity; readonly locale: Locale },
  input: OwnDigestInput,
): Promise<OwnDigestChange> {
  const change = await addSubscription(deps.store, `user:${user.id}`, {
    channel: channelText(where.identity),
    kind: 'digest',
    ...(input.localTime ? { localTime: input.localTime } : {}),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    locale: input.locale ?? user.locale ?? where.locale,
    filters: { owner: ownerFilter(user) },
    defaultTimeZone: deps.timeZone,
    defaultLocale: where.locale,
  });
  const owned = await deps.store.customers.count({ ownerUserId: user.id });
  return { ...change, owned };
}

/** Stops the person's own digest; refused (in the channel's words) when there is none. */
export function unsubscribeOwnDigest(
  store: Store,
  user: User,
  identity: Identity,
): Promise<Subscription[]> {
  return removeSubscription(store, `user:${user.id}`, {
    channel: channelText(identity),
    kind: 'digest',
  });
}
