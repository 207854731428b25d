import { parseArgs } from 'node:util';
import { SUBSCRIPTION_KINDS } from './app/channel-ports.ts';
import {
  addSubscription,
  channelText,
  listSubscriptions,
  parseChannel,
  parseChannelLocale,
  parseLocalTime,
  parseSubscriptionKind,
  parseTimeZone,
  removeSubscription,
} from './app/channels.ts';
import type { Store } from './app/ports.ts';
import { IDENTITY_PLATFORMS } from './app/users.ts';
import type { Translate } from './chat/i18n.ts';
import {
  removedText,
  subscriptionChangeText,
  subscriptionsTable,
} from './chat/subscription-card.ts';
import { renderTable } from './chat/text-table.ts';
import { cliActor, EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';

// `npx creditops channels add|list|remove`: which channels receive the digest, alerts and
// approval requests. Like `users`, whoever holds the database needs no role; the audit log
// names the operating-system user.

const usage = (t: Translate) =>
  new UsageError(
    t('cli.channels.usage', {
      kinds: SUBSCRIPTION_KINDS.join('|'),
      platforms: IDENTITY_PLATFORMS.join(', '),
    }),
  );

function read(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      kind: { type: 'string' },
      time: { type: 'string' },
      tz: { type: 'string' },
      locale: { type: 'string' },
      'all-days': { type: 'boolean' },
      batched: { type: 'boolean' },
      segment: { type: 'string' },
      owner: { type: 'string' },
      currency: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}

type Values = ReturnType<typeof read>['values'];

async function list(store: Store, t: Translate, json: boolean): Promise<number> {
  const subs = await listSubscriptions(store);
  if (json) {
    const rows = subs.map((s) => ({ ...s, channel: channelText(s.channel) }));
    console.log(JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (subs.length === 0) {
    console.log(t('channels.empty'));
    return EXIT.ok;
  }
  console.log(renderTable(subscriptionsTable(subs, t), '').join('\n'));
  console.log(t('channels.count', { count: subs.length }));
  return EXIT.ok;
}

/** Every value checked before the database is opened: a typo costs nothing and locks nothing. */
function addInput(config: Config, channel: string, values: Values) {
  parseChannel(channel);
  parseSubscriptionKind(values.kind ?? '');
  if (values.time !== undefined) parseLocalTime(values.time);
  if (values.tz !== undefined) parseTimeZone(values.tz);
  if (values.locale !== undefined) parseChannelLocale(values.locale);
  const filters = {
    ...(values.segment !== undefined ? { segment: values.segment } : {}),
    ...(values.owner !== undefined ? { owner: values.owner } : {}),
    ...(values.currency !== undefined ? { currency: values.currency } : {}),
  };
  return {
    channel,
    kind: values.kind ?? '',
    ...(values.time !== undefined ? { localTime: values.time } : {}),
    ...(values.tz !== undefined ? { timeZone: values.tz } : {}),
    ...(values.locale !== undefined ? { locale: values.locale } : {}),
    businessDaysOnly: values['all-days'] !== true,
    batched: values.batched === true,
    filters,
    defaultTimeZone: config.defaultTimeZone,
    defaultLocale: config.defaultLocale,
  };
}

const ADD_ONLY = ['time', 'tz', 'locale', 'all-days', 'batched', 'segment', 'owner', 'currency'];

/** `creditops channels add <platform:id> --kind K [options] | list [--json] | remove <platform:id> [--kind K]` */
export async function runChannels(config: Config, t: Translate, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = read(rest);
  const actor = cliActor();
  const [channel, ...extra] = positionals;
  const addOptions = ADD_ONLY.some((name) => name in values);
  if (verb === 'list' && channel === undefined && !addOptions && values.kind === undefined) {
    return withDatabase(config, 'creditops channels', ({ db }) =>
      list(createStore(db), t, values.json === true),
    );
  }
  if (verb === 'add' && channel && values.kind && extra.length === 0 && !values.json) {
    const input = addInput(config, channel, values);
    const change = await withDatabase(config, 'creditops channels', ({ db }) =>
      addSubscription(createStore(db), actor, input),
    );
    console.log(subscriptionChangeText(change.outcome, change.subscription, t).join('\n'));
    return EXIT.ok;
  }
  if (verb === 'remove' && channel && extra.length === 0 && !addOptions && !values.json) {
    parseChannel(channel);
    if (values.kind !== undefined) parseSubscriptionKind(values.kind);
    const input = { channel, ...(values.kind !== undefined ? { kind: values.kind } : {}) };
    const removed = await withDatabase(config, 'creditops channels', ({ db }) =>
      removeSubscription(createStore(db), actor, input),
    );
    console.log(removedText(removed, t));
    return EXIT.ok;
  }
  throw usage(t);
}
