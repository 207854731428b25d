import { calendarForZone } from '../app/digest-delivery.ts';
import { subscribeOwnDigest, unsubscribeOwnDigest } from '../app/personal-digest.ts';
import type { Identity, User } from '../app/ports.ts';
import { agingReport } from '../app/reports.ts';
import { dateInTimeZone } from '../domain/dates.ts';
import { money } from '../domain/money.ts';
import { type Card, messageCard } from './card.ts';
import { type ChannelDigestDeps, channelDigestCard } from './channel-digest.ts';
import type { CardContext } from './customer-card.ts';
import { bucketName } from './digest-card.ts';
import type { DigestCommand } from './digest-command.ts';
import { formatDate, formatMoney } from './format.ts';

// The answers to `/credit digest`, `/credit digest me …` and `/credit aging`; the bot has
// checked the caller's capability before any of this runs.

/** The portfolio aging per currency as of today: amounts per bucket, total and overdue. */
async function agingCard(deps: ChannelDigestDeps, currency: string | undefined, ctx: CardContext) {
  const { t, locale } = ctx;
  const asOf = dateInTimeZone(deps.clock.now(), ctx.timeZone);
  const reports = await agingReport(deps.store.reports, {
    asOf,
    edges: deps.policy.aging.edges,
    ...(currency ? { currency } : {}),
  });
  const title = t('aging.heading', { date: formatDate(asOf, locale) });
  const first = reports[0];
  if (!first) {
    return messageCard(title, [
      currency ? t('aging.nothing_open_in', { currency }) : t('aging.nothing_open'),
    ]);
  }
  const fmt = (minor: number, code: string) => formatMoney(money(minor, code), locale);
  const keys = first.buckets.map((b) => b.label);
  return {
    title,
    sections: [
      {
        heading: t('aging.by_currency'),
        table: {
          columns: [
            t('aging.currency'),
            ...keys.map((k) => bucketName(k, t)),
            t('aging.total'),
            t('aging.overdue'),
          ],
          rows: reports.map((r) => [
            r.currency,
            ...r.buckets.map((b) => fmt(b.amountMinor, r.currency)),
            fmt(r.totalMinor, r.currency),
            fmt(r.overdueMinor, r.currency),
          ]),
          align: ['left' as const, ...keys.map(() => 'right' as const), 'right', 'right'],
        },
      },
    ],
    lines: reports
      .filter((r) => r.disputedCount > 0)
      .map((r) =>
        t('aging.disputed', {
          count: r.disputedCount,
          amount: fmt(r.disputedMinor, r.currency),
        }),
      ),
  } satisfies Card;
}

export async function runDigestCommand(
  deps: ChannelDigestDeps,
  user: User,
  command: DigestCommand,
  input: {
    readonly identity: Identity;
    readonly channel: Identity | undefined;
    readonly ctx: CardContext;
  },
): Promise<Card> {
  const { t, locale } = input.ctx;
  switch (command.kind) {
    case 'aging':
      return agingCard(deps, command.currency, input.ctx);
    case 'digest': {
      // A preview for the asker: the channel's own digest when it has one, else the portfolio's.
      const where = input.channel ?? input.identity;
      const subscription = await deps.store.subscriptions.find(where, 'digest');
      const timeZone = subscription?.timeZone ?? deps.timeZone;
      const asOf = dateInTimeZone(deps.clock.now(), timeZone);
      const card = await channelDigestCard(deps, where, { asOf, locale });
      const note = subscription
        ? t('digest.preview.subscribed', { time: subscription.localTime, timeZone })
        : t('digest.preview.not_subscribed');
      return { ...card, visibility: 'private', footer: note };
    }
    case 'digest_me_off': {
      if (!(await deps.store.subscriptions.find(input.identity, 'digest'))) {
        return messageCard(t('digest.me.stopped_title'), [t('digest.me.none')]);
      }
      await unsubscribeOwnDigest(deps.store, user, input.identity);
      return messageCard(t('digest.me.stopped_title'), [t('digest.me.stopped')]);
    }
    case 'digest_me': {
      const change = await subscribeOwnDigest(
        deps,
        user,
        { identity: input.identity, locale },
        {
          ...(command.time ? { localTime: command.time } : {}),
          ...(command.timeZone ? { timeZone: command.timeZone } : {}),
          ...(command.locale ? { locale: command.locale } : {}),
        },
      );
      const s = change.subscription;
      const business = calendarForZone(s.timeZone) === 'NONE' ? 'weekends' : 'holidays';
      return messageCard(t('digest.me.saved_title'), [
        t(`digest.me.${change.outcome}`, { time: s.localTime, timeZone: s.timeZone }),
        t(`digest.me.business_days_${business}`),
        change.owned === 0
          ? t('digest.me.owns_none')
          : t('digest.me.owns', { count: change.owned }),
        t('digest.me.stop_hint'),
      ]);
    }
  }
}
