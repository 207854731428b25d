import { buildDigest, type DigestData } from '../app/digest.ts';
import { calendarForZone } from '../app/digest-delivery.ts';
import type { Identity } from '../app/ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import { money } from '../domain/money.ts';
import type { Card, CardChart } from './card.ts';
import type { ChannelDigestDeps } from './channel-digest.ts';
import type { CardContext } from './customer-card.ts';
import { bucketName } from './digest-card.ts';
import { formatDate, formatMoney } from './format.ts';

// The digest's aging as a chart: the same buckets and amounts as the digest's aging table, as
// data. Platforms that post images draw it after the digest; the others have the table.

type Rgb = readonly [number, number, number];
// Not yet due in green, then light green, amber, orange and red for the oldest: a traffic
// light a credit team reads at a glance, each dark enough to show on white.
const STOPS: readonly Rgb[] = [
  [0x2e, 0x7d, 0x32],
  [0x7c, 0xb3, 0x42],
  [0xf9, 0xa8, 0x25],
  [0xef, 0x6c, 0x00],
  [0xc6, 0x28, 0x28],
];

const hex = (rgb: readonly number[]) =>
  `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/**
 * The colour of bucket `index` of `count`, green for the youngest to red for the oldest; five
 * buckets (the default edges) get the five stops exactly, other counts a blend between them.
 */
export function ageColour(index: number, count: number): string {
  const at = count <= 1 ? 0 : (index / (count - 1)) * (STOPS.length - 1);
  const from = Math.min(Math.floor(at), STOPS.length - 2);
  const [a, b] = [STOPS[from], STOPS[from + 1]] as [Rgb, Rgb];
  const share = at - from;
  return hex(a.map((c, i) => c + ((b[i] ?? c) - c) * share));
}

/** The aging of the digest's currencies as a chart; undefined when nothing is open. */
export function digestChart(data: DigestData, { t, locale }: CardContext): CardChart | undefined {
  const first = data.positions[0];
  if (!first) return undefined;
  const keys = first.aging.buckets.map((b) => b.label);
  const categories = keys.map((key, i) => ({
    label: bucketName(key, t),
    colour: ageColour(i, keys.length),
  }));
  const fmt = (minor: number, currency: string) => formatMoney(money(minor, currency), locale);
  const date = formatDate(data.asOf, locale);
  const figures = data.positions.map((p) =>
    t('digest.chart.alt_currency', {
      currency: p.currency,
      buckets: p.aging.buckets
        .map((b) => `${bucketName(b.label, t)} ${fmt(b.amountMinor, p.currency)}`)
        .join(t('list.separator')),
    }),
  );
  return {
    title: t('digest.chart.title', { date }),
    altText: t('digest.chart.alt', { date, figures: figures.join(' ') }),
    fileName: `aging-${data.asOf}.png`,
    locale,
    categories,
    series: data.positions.map((p) => ({
      label: t('digest.chart.series', {
        currency: p.currency,
        total: fmt(p.aging.totalMinor, p.currency),
      }),
      currency: p.currency,
      amountsMinor: p.aging.buckets.map((b) => b.amountMinor),
    })),
  };
}

/** A card that is only the chart, posted after the digest by platforms that draw it. */
export function digestChartCard(data: DigestData, ctx: CardContext): Card | undefined {
  const chart = digestChart(data, ctx);
  if (!chart) return undefined;
  return { title: chart.title, chart, locale: ctx.locale, visibility: 'channel' };
}

/**
 * A channel's chart of a day, with the same filters, language and time zone as its digest
 * (src/chat/channel-digest.ts), so the picture and the table show the same figures.
 */
export async function channelDigestChartCard(
  deps: ChannelDigestDeps,
  channel: Identity,
  options: { readonly asOf: IsoDate },
): Promise<Card | undefined> {
  const subscription = await deps.store.subscriptions.find(channel, 'digest');
  const locale =
    subscription?.locale ??
    (await deps.store.channels.settings(channel))?.locale ??
    deps.defaultLocale;
  const timeZone = subscription?.timeZone ?? deps.timeZone;
  const data = await buildDigest(
    { ...deps, timeZone, calendar: calendarForZone(timeZone) },
    { asOf: options.asOf, ...(subscription ? { filters: subscription.filters } : {}) },
  );
  return digestChartCard(data, { t: deps.i18n.t(locale), locale, timeZone });
}
