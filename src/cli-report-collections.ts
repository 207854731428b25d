import { renderTable } from './adapters/console/index.ts';
import {
  type DunningList,
  dunningList,
  evaluatePromisesAsOf,
  PROMISE_REPORT_DAYS,
  type PromiseLine,
  type PromiseReport,
  promiseReport,
} from './app/collections.ts';
import type { Locale } from './app/locales.ts';
import type { CreditPolicy } from './app/policy.ts';
import type { Store } from './app/ports.ts';
import type { CardTable } from './chat/card.ts';
import { formatDate, formatMoney } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT } from './cli-support.ts';
import { dateInTimeZone, type IsoDate } from './domain/dates.ts';
import { addMoney, type Money } from './domain/money.ts';

// `creditops report dunning` and `creditops report promises`: today's collection work and
// the promises to pay, as tables in the operator's language or as JSON in minor units.

export interface CollectionsReportContext {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
}

export interface CollectionsReportOptions {
  readonly asOf: IsoDate;
  readonly currency: string | undefined;
  readonly json: boolean;
}

const INVOICES_SHOWN = 3;

function print(table: CardTable): void {
  console.log(renderTable(table, '  ').join('\n'));
}

/** Amounts of several currencies side by side, never added together. */
function sumByCurrency(amounts: readonly Money[], locale: Locale, t: Translate): string {
  const sums = new Map<string, Money>();
  for (const amount of amounts) {
    const sum = sums.get(amount.currency);
    sums.set(amount.currency, sum ? addMoney(sum, amount) : amount);
  }
  return [...sums.values()].map((m) => formatMoney(m, locale)).join(t('list.separator'));
}

function dunningJson(list: DunningList, currency: string | undefined) {
  return {
    asOf: list.asOf,
    ...(currency ? { currency } : {}),
    due: list.due.map((d) => ({
      code: d.code,
      legalName: d.legalName,
      segment: d.segment,
      step: d.step,
      maxDaysOverdue: d.maxDaysOverdue,
      isNew: d.isNew,
      invoices: d.invoices.map((i) => ({
        number: i.number,
        dueOn: i.dueOn,
        daysOverdue: i.daysOverdue,
        currency: i.open.currency,
        openMinor: i.open.minor,
      })),
    })),
    paused: list.paused.map((p) => ({
      code: p.code,
      legalName: p.legalName,
      segment: p.segment,
      step: p.step,
      maxDaysOverdue: p.maxDaysOverdue,
      pausedUntil: p.pausedUntil,
    })),
  };
}

function printDunning(list: DunningList, { t, locale }: CollectionsReportContext): void {
  console.log(t('report.dunning.heading', { date: formatDate(list.asOf, locale) }));
  console.log(
    t('report.dunning.summary', {
      due: list.due.length,
      new: list.due.filter((d) => d.isNew).length,
      paused: list.paused.length,
    }),
  );
  if (list.due.length === 0) console.log(t('report.dunning.none'));
  else {
    print({
      columns: [
        t('report.customer'),
        t('report.dunning.step'),
        t('report.dunning.days'),
        t('report.dunning.amount'),
        t('report.dunning.invoices'),
        t('report.dunning.new'),
      ],
      align: ['left', 'left', 'right', 'right', 'left', 'left'],
      rows: list.due.map((d) => {
        const shown = d.invoices
          .slice(0, INVOICES_SHOWN)
          .map((i) => t('report.dunning.invoice', { number: i.number, days: i.daysOverdue }));
        const more = d.invoices.length - shown.length;
        if (more > 0) shown.push(t('report.dunning.more', { count: more }));
        return [
          `${d.code} ${d.legalName}`,
          t(`dunning.step.${d.step}`),
          String(d.maxDaysOverdue),
          sumByCurrency(
            d.invoices.map((i) => i.open),
            locale,
            t,
          ),
          shown.join(t('list.separator')),
          d.isNew ? t('report.dunning.new_mark') : '',
        ];
      }),
    });
  }
  if (list.paused.length === 0) return;
  console.log('');
  console.log(t('report.dunning.paused_heading'));
  print({
    columns: [
      t('report.customer'),
      t('report.dunning.step'),
      t('report.dunning.days'),
      t('report.dunning.paused_until'),
    ],
    align: ['left', 'left', 'right', 'left'],
    rows: list.paused.map((p) => [
      `${p.code} ${p.legalName}`,
      t(`dunning.step.${p.step}`),
      String(p.maxDaysOverdue),
      formatDate(p.pausedUntil, locale),
    ]),
  });
}

function promiseJson(report: PromiseReport) {
  const line = (p: PromiseLine) => ({
    id: p.id,
    code: p.code,
    legalName: p.legalName,
    madeOn: p.madeOn,
    promisedOn: p.promisedOn,
    currency: p.amount.currency,
    amountMinor: p.amount.minor,
    ...(p.resolvedOn ? { resolvedOn: p.resolvedOn } : {}),
    ...(p.daysLeft !== undefined ? { daysLeft: p.daysLeft } : {}),
    ...(p.loggedBy ? { loggedBy: p.loggedBy } : {}),
  });
  return {
    asOf: report.asOf,
    from: report.from,
    pending: report.pending.map(line),
    kept: report.kept.map(line),
    broken: report.broken.map(line),
    customers: report.customers,
  };
}

function printPromises(report: PromiseReport, { t, locale }: CollectionsReportContext): void {
  console.log(t('report.promises.heading', { date: formatDate(report.asOf, locale) }));
  const section = (
    heading: string,
    lines: readonly PromiseLine[],
    last: { label: string; value: (p: PromiseLine) => string },
  ) => {
    console.log('');
    console.log(heading);
    if (lines.length === 0) {
      console.log(`  ${t('report.promises.none')}`);
      return;
    }
    print({
      columns: [
        t('report.customer'),
        t('report.promises.promised_on'),
        t('report.promises.amount'),
        last.label,
        t('report.promises.logged_by'),
      ],
      align: ['left', 'left', 'right', 'right', 'left'],
      rows: lines.map((p) => [
        `${p.code} ${p.legalName}`,
        formatDate(p.promisedOn, locale),
        formatMoney(p.amount, locale),
        last.value(p),
        p.loggedBy ?? '',
      ]),
    });
  };
  const resolved = (p: PromiseLine) => (p.resolvedOn ? formatDate(p.resolvedOn, locale) : '');
  section(t('report.promises.pending'), report.pending, {
    label: t('report.promises.days_left'),
    value: (p) => String(p.daysLeft ?? ''),
  });
  section(t('report.promises.kept', { count: PROMISE_REPORT_DAYS }), report.kept, {
    label: t('report.promises.kept_on'),
    value: resolved,
  });
  section(t('report.promises.broken', { count: PROMISE_REPORT_DAYS }), report.broken, {
    label: t('report.promises.broken_on'),
    value: resolved,
  });
}

/** Runs `report dunning` or `report promises`; promises are brought up to date first. */
export async function runCollectionsReport(
  name: 'dunning' | 'promises',
  ctx: CollectionsReportContext,
  o: CollectionsReportOptions,
): Promise<number> {
  const { store, timeZone } = ctx;
  const today = dateInTimeZone(new Date(), timeZone);
  if (name === 'promises') {
    const report = await promiseReport(store, {
      asOf: o.asOf,
      today,
      timeZone,
      ...(o.currency ? { currency: o.currency } : {}),
    });
    if (o.json) console.log(JSON.stringify(promiseJson(report), null, 2));
    else printPromises(report, ctx);
    return EXIT.ok;
  }
  // A promise broken by now no longer holds dunning back; a future date changes nothing stored.
  await evaluatePromisesAsOf(store, o.asOf, { timeZone, persist: o.asOf <= today });
  const list = await dunningList(store, o.asOf, ctx.policy.dunning, {
    timeZone,
    ...(o.currency ? { currency: o.currency } : {}),
  });
  if (o.json) console.log(JSON.stringify(dunningJson(list, o.currency), null, 2));
  else printDunning(list, ctx);
  return EXIT.ok;
}
