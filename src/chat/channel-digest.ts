import { buildDigest, type DigestData, type DigestDeps } from '../app/digest.ts';
import { calendarForZone } from '../app/digest-delivery.ts';
import type { Locale } from '../app/locales.ts';
import type { Identity } from '../app/ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Card } from './card.ts';
import { digestCard } from './digest-card.ts';
import type { I18n } from './i18n.ts';

// One channel's digest as its members read it: with the channel's filters, in its language
// and time zone. The scheduled post and `/credit digest` (a preview) both come through here,
// so the preview is what the morning brings.

export interface ChannelDigestDeps extends DigestDeps {
  readonly i18n: I18n;
  readonly defaultLocale: Locale;
}

/**
 * An owner's own digest filters by their user id; its subtitle names them instead. The
 * person is the one the "channel" (their DM) belongs to.
 */
async function withOwnerName(
  deps: ChannelDigestDeps,
  channel: Identity,
  data: DigestData,
): Promise<DigestData> {
  const { owner } = data.filters;
  if (owner === undefined || !/^\d+$/u.test(owner)) return data;
  const person = await deps.store.users.findByIdentity(channel);
  if (person === undefined || String(person.id) !== owner) return data;
  return { ...data, filters: { ...data.filters, owner: person.displayName } };
}

export async function channelDigestCard(
  deps: ChannelDigestDeps,
  channel: Identity,
  options: { readonly asOf: IsoDate; readonly late?: boolean; readonly locale?: Locale },
): Promise<Card> {
  const subscription = await deps.store.subscriptions.find(channel, 'digest');
  const locale =
    subscription?.locale ??
    options.locale ??
    (await deps.store.channels.settings(channel))?.locale ??
    deps.defaultLocale;
  const timeZone = subscription?.timeZone ?? deps.timeZone;
  const data = await buildDigest(
    { ...deps, timeZone, calendar: calendarForZone(timeZone) },
    {
      asOf: options.asOf,
      ...(subscription ? { filters: subscription.filters, localTime: subscription.localTime } : {}),
    },
  );
  const t = deps.i18n.t(locale);
  const card = digestCard(await withOwnerName(deps, channel, data), { t, locale, timeZone });
  const late = options.late ? [t('digest.late')] : [];
  return { ...card, lines: [...late, ...(card.lines ?? [])], locale };
}
