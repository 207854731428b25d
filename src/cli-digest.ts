import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { renderCard } from './adapters/console/index.ts';
import { buildDigest, type DigestFilters, snapshotPortfolio } from './app/digest.ts';
import { isLocale, type Locale } from './app/locales.ts';
import { digestCard } from './chat/digest-card.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import type { DB } from './db/schema.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone, isIsoDate } from './domain/dates.ts';
import { loadPolicy } from './policy-files.ts';
import { i18n } from './startup.ts';

interface ChannelDigest {
  readonly locale: Locale;
  readonly timeZone: string;
  readonly filters: DigestFilters;
  readonly known: boolean;
}

function filtersFrom(raw: Record<string, unknown>): DigestFilters {
  const pick = (key: string) => (typeof raw[key] === 'string' ? { [key]: raw[key] } : {});
  return { ...pick('currency'), ...pick('segment'), ...pick('owner') } as DigestFilters;
}

/** The channel's language and time zone, and its digest subscription's filters if it has one. */
async function channelDigest(
  db: Kysely<DB>,
  config: Config,
  platform: string,
  externalId: string,
): Promise<ChannelDigest> {
  const channel = await db
    .selectFrom('channels')
    .leftJoin('subscriptions', (join) =>
      join
        .onRef('subscriptions.channel_id', '=', 'channels.id')
        .on('subscriptions.kind', '=', 'digest'),
    )
    .select(['channels.locale', 'channels.timezone', 'subscriptions.filters'])
    .where('channels.platform', '=', platform)
    .where('channels.external_id', '=', externalId)
    .executeTakeFirst();
  if (!channel)
    return {
      locale: config.defaultLocale,
      timeZone: config.defaultTimeZone,
      filters: {},
      known: false,
    };
  return {
    locale: isLocale(channel.locale) ? channel.locale : config.defaultLocale,
    timeZone: channel.timezone,
    filters: filtersFrom((channel.filters ?? {}) as Record<string, unknown>),
    known: true,
  };
}

function options(t: Translate, args: string[]) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      channel: { type: 'string' },
      'as-of': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const [platform, ...rest] = (values.channel ?? '').split(':');
  const externalId = rest.join(':');
  if (!platform || !externalId) throw new UsageError(t('digest.cli.usage'));
  const asOf = values['as-of'];
  if (asOf !== undefined && !isIsoDate(asOf))
    throw new UsageError(t('errors.date.invalid', { value: asOf, format: 'YYYY-MM-DD' }));
  return {
    platform,
    externalId,
    asOf,
    dryRun: values['dry-run'] === true,
    json: values.json === true,
  };
}

/**
 * `creditops digest --channel <platform:id> [--as-of DATE] [--dry-run] [--json]`: prints the
 * digest as the channel would get it. Without --dry-run it also writes the day's portfolio
 * snapshot; it never sends anything in this version.
 */
export async function runDigest(config: Config, t: Translate, args: string[]): Promise<number> {
  const o = options(t, args);
  const policy = loadPolicy(config.policyDir);
  return withDatabase(config, 'creditops digest', async ({ db }) => {
    const store = createStore(db);
    const channel = await channelDigest(db, config, o.platform, o.externalId);
    const tc = i18n.t(channel.locale);
    const clock = { now: () => new Date() };
    const deps = { store, clock, timeZone: channel.timeZone, policy };
    const asOf = o.asOf ?? dateInTimeZone(clock.now(), channel.timeZone);
    const data = await buildDigest(deps, { asOf, filters: channel.filters });
    if (!o.dryRun) await snapshotPortfolio(deps, asOf);
    if (o.json) {
      console.log(
        JSON.stringify(
          { channel: `${o.platform}:${o.externalId}`, ...channel, sent: false, digest: data },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (!channel.known)
      console.log(tc('digest.cli.unknown_channel', { channel: `${o.platform}:${o.externalId}` }));
    console.log(
      renderCard(digestCard(data, { t: tc, locale: channel.locale, timeZone: channel.timeZone })),
    );
    if (!o.dryRun) console.log(tc('digest.cli.snapshot_written', { date: asOf }));
    console.log(tc('digest.cli.not_sent'));
    return EXIT.ok;
  });
}
