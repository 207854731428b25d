import { parseArgs } from 'node:util';
import { listOutbox, retryOutbox } from './app/outbox-admin.ts';
import type { OutboxEntry } from './app/outbox-ports.ts';
import { formatDateTime } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { renderTable } from './chat/text-table.ts';
import { cliActor, EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';

// `npx creditops outbox list|retry`: what the bot has not managed to send, and sending dead
// messages again once the cause (a removed bot, an archived channel, a revoked token) is fixed.
// Like `channels`, whoever holds the database needs no role; the audit log names the
// operating-system user.

function read(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      dead: { type: 'boolean' },
      'all-dead': { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
}

function positiveInteger(t: Translate, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(t('cli.outbox.bad_number', { value }));
  }
  return n;
}

function table(entries: readonly OutboxEntry[], t: Translate, config: Config): string[] {
  const when = (d: Date) => formatDateTime(d, config.defaultLocale, config.defaultTimeZone);
  const column = (name: string) => t(`cli.outbox.column.${name}`);
  return renderTable(
    {
      columns: ['id', 'status', 'channel', 'message', 'attempts', 'next', 'error'].map(column),
      align: ['right', 'left', 'left', 'left', 'right', 'left', 'left'],
      rows: entries.map((e) => [
        String(e.id),
        t(`outbox.status.${e.status}`),
        `${e.platform}:${e.channel}`,
        t('outbox.what', {
          type: t(`outbox.type.${e.type}`, { defaultValue: e.type }),
          kind: t(`outbox.kind.${e.kind}`),
        }),
        String(e.attempts),
        e.status === 'dead' ? '—' : when(e.nextAttemptAt),
        e.lastError ?? '',
      ]),
    },
    '',
  );
}

async function list(config: Config, t: Translate, values: ReturnType<typeof read>['values']) {
  const limit = values.limit === undefined ? undefined : positiveInteger(t, values.limit);
  const dead = values.dead === true;
  const entries = await withDatabase(config, 'creditops outbox', ({ db }) =>
    listOutbox(createStore(db), { dead, ...(limit ? { limit } : {}) }),
  );
  if (values.json) {
    console.log(JSON.stringify(entries, null, 2));
    return EXIT.ok;
  }
  if (entries.length === 0) {
    console.log(t(dead ? 'cli.outbox.empty_dead' : 'cli.outbox.empty'));
    return EXIT.ok;
  }
  console.log(table(entries, t, config).join('\n'));
  console.log(t('cli.outbox.count', { count: entries.length }));
  if (entries.some((e) => e.status === 'dead')) console.log(t('cli.outbox.retry_hint'));
  return EXIT.ok;
}

/** `creditops outbox list [--dead] [--limit N] [--json] | retry <ID…|--all-dead>` */
export async function runOutbox(config: Config, t: Translate, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const { values, positionals } = read(rest);
  const allDead = values['all-dead'] === true;
  if (verb === 'list' && positionals.length === 0 && !allDead) return list(config, t, values);
  const retryOptions = values.dead || values.limit !== undefined || values.json;
  if (verb === 'retry' && allDead !== positionals.length > 0 && !retryOptions) {
    // Every number checked before the database is opened.
    const ids = allDead ? 'all-dead' : positionals.map((p) => positiveInteger(t, p));
    const retried = await withDatabase(config, 'creditops outbox', ({ db }) =>
      retryOutbox(createStore(db), cliActor(), { ids, now: new Date() }),
    );
    console.log(
      retried.length === 0
        ? t('cli.outbox.retried_none')
        : t('cli.outbox.retried', {
            count: retried.length,
            ids: retried.map((id) => `#${id}`).join(', '),
          }),
    );
    return EXIT.ok;
  }
  throw new UsageError(t('cli.outbox.usage'));
}
