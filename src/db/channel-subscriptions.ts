import type { Kysely } from 'kysely';
import type {
  Subscription,
  SubscriptionFilters,
  SubscriptionKind,
  SubscriptionRepository,
} from '../app/channel-ports.ts';
import type { ChannelRef } from '../app/chat-ports.ts';
import type { Locale } from '../app/locales.ts';
import type { DB } from './schema.ts';

interface Row {
  readonly platform: string;
  readonly external_id: string;
  readonly kind: string;
  readonly local_time: string;
  readonly timezone: string;
  readonly locale: string;
  readonly business_days_only: boolean;
  readonly batched: boolean;
  readonly filters: unknown;
}

function toSubscription(row: Row): Subscription {
  return {
    channel: { platform: row.platform, externalId: row.external_id },
    kind: row.kind as SubscriptionKind,
    // Postgres hands a `time` back as HH:MM:SS; subscriptions are set to the minute.
    localTime: row.local_time.slice(0, 5),
    timeZone: row.timezone,
    locale: row.locale as Locale,
    businessDaysOnly: row.business_days_only,
    batched: row.batched,
    filters: (row.filters ?? {}) as SubscriptionFilters,
  };
}

export function createSubscriptionRepository(db: Kysely<DB>): SubscriptionRepository {
  const joined = () =>
    db
      .selectFrom('subscriptions as s')
      .innerJoin('channels as c', 'c.id', 's.channel_id')
      .select([
        'c.platform',
        'c.external_id',
        'c.timezone',
        'c.locale',
        's.kind',
        's.local_time',
        's.business_days_only',
        's.batched',
        's.filters',
      ]);

  const channelId = (channel: ChannelRef) =>
    db
      .selectFrom('channels')
      .select('id')
      .where('platform', '=', channel.platform)
      .where('external_id', '=', channel.externalId);

  return {
    async saveChannel({ channel, initial, changes }) {
      const row = await db
        .insertInto('channels')
        .values({
          platform: channel.platform,
          external_id: channel.externalId,
          locale: changes.locale ?? initial.locale,
          timezone: changes.timeZone ?? initial.timeZone,
        })
        .onConflict((oc) =>
          oc.columns(['platform', 'external_id']).doUpdateSet((eb) => ({
            locale: changes.locale ?? eb.ref('channels.locale'),
            timezone: changes.timeZone ?? eb.ref('channels.timezone'),
            updated_at: new Date(),
          })),
        )
        .returning(['id', 'locale', 'timezone'])
        .executeTakeFirstOrThrow();
      return { id: Number(row.id), locale: row.locale as Locale, timeZone: row.timezone };
    },
    async find(channel, kind) {
      const row = await joined()
        .where('c.platform', '=', channel.platform)
        .where('c.external_id', '=', channel.externalId)
        .where('s.kind', '=', kind)
        .executeTakeFirst();
      return row ? toSubscription(row) : undefined;
    },
    async upsert(id, subscription) {
      const values = {
        local_time: subscription.localTime,
        business_days_only: subscription.businessDaysOnly,
        batched: subscription.batched,
        filters: JSON.stringify(subscription.filters),
      };
      await db
        .insertInto('subscriptions')
        .values({ channel_id: id, kind: subscription.kind, ...values })
        .onConflict((oc) => oc.columns(['channel_id', 'kind']).doUpdateSet(values))
        .execute();
    },
    async list() {
      const rows = await joined()
        .orderBy('c.platform')
        .orderBy('c.external_id')
        .orderBy('s.kind')
        .execute();
      return rows.map(toSubscription);
    },
    async remove(channel, kind) {
      let query = joined()
        .where('c.platform', '=', channel.platform)
        .where('c.external_id', '=', channel.externalId);
      if (kind) query = query.where('s.kind', '=', kind);
      const rows = (await query.orderBy('s.kind').execute()).map(toSubscription);
      if (rows.length === 0) return rows;
      await db
        .deleteFrom('subscriptions')
        .where('channel_id', '=', channelId(channel))
        .where(
          'kind',
          'in',
          rows.map((row) => row.kind),
        )
        .execute();
      return rows;
    },
  };
}
