import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { renderCard } from './adapters/console/index.ts';
import {
  buildDigest,
  type DigestData,
  type DigestFilters,
  snapshotPortfolio,
} from './app/digest.ts';
import { isLocale, type Locale } from './app/locales.ts';
import type { CardContext } from './chat/customer-card.ts';
import { digestCard } from './chat/digest-card.ts';
import { digestChart } from './chat/digest-chart.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import type { DB } from './db/schema.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone, isIsoDate } from './domain/dates.ts';
import { ChartFontMissingError, findCjkFont, renderAgingChart } from './io/aging-chart.ts';
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
      chart: { type: 'string' },
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
    chart: values.chart,
  };
}

/** The CJK font the chart needs, found before any work; undefined with a message if none. */
function chartFont(t: Translate): string | undefined {
  try {
    return findCjkFont();
  } catch (error) {
    if (!(error instanceof ChartFontMissingError)) throw error;
    console.error(
      t('digest.cli.chart_font_missing', {
        package: 'fonts-noto-cjk',
        paths: error.searched.join(', '),
      }),
    );
    return undefined;
  }
}

/** Writes the aging chart PNG; false when there is no aging to draw (nothing open). */
async function writeChart(
  file: string,
  data: DigestData,
  ctx: CardContext,
  fontFile: string,
): Promise<boolean> {
  const chart = digestChart(data, ctx);
  if (!chart) return false;
  await writeFile(file, await renderAgingChart(chart, { fontFile }));
  return true;
}

/**
 * `creditops digest --channel <platform:id> [--as-of DATE] [--dry-run] [--json] [--chart FILE]`:
 * prints the digest as the channel would get it, and with --chart writes its aging chart as a
 * PNG. Without --dry-run it also writes the day's portfolio snapshot; it never sends anything.
 */
export async function runDigest(config: Config, t: Translate, args: string[]): Promise<number> {
  const o = options(t, args);
  const fontFile = o.chart === undefined ? undefined : chartFont(t);
  if (o.chart !== undefined && fontFile === undefined) return EXIT.failed;
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
    const ctx = { t: tc, locale: channel.locale, timeZone: channel.timeZone };
    const charted =
      o.chart !== undefined && fontFile !== undefined
        ? await writeChart(o.chart, data, ctx, fontFile)
        : false;
    if (o.json) {
      const chart = charted ? { chart: o.chart } : {};
      console.log(
        JSON.stringify(
          {
            channel: `${o.platform}:${o.externalId}`,
            ...channel,
            sent: false,
            ...chart,
            digest: data,
          },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    if (!channel.known)
      console.log(tc('digest.cli.unknown_channel', { channel: `${o.platform}:${o.externalId}` }));
    console.log(renderCard(digestCard(data, ctx)));
    if (o.chart !== undefined) {
      console.log(
        charted ? tc('digest.cli.chart_written', { file: o.chart }) : tc('digest.cli.chart_empty'),
      );
    }
    if (!o.dryRun) console.log(tc('digest.cli.snapshot_written', { date: asOf }));
    console.log(tc('digest.cli.not_sent'));
    return EXIT.ok;
  });
}
