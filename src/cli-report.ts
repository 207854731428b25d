import { parseArgs } from 'node:util';
import { renderTable } from './adapters/console/index.ts';
import { agingReport, averageDaysLate } from './app/reports.ts';
import { bucketLabel } from './chat/customer-card.ts';
import { formatDate, formatMoney } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { ASSESSMENT_REPORTS, runAssessmentReport } from './cli-report-assessments.ts';
import { runCollectionsReport } from './cli-report-collections.ts';
import { runCreditReport } from './cli-report-credit.ts';
import { EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';
import { agingBuckets } from './domain/aging.ts';
import { dateInTimeZone, isIsoDate } from './domain/dates.ts';
import { isCurrencyCode, money } from './domain/money.ts';
import { loadPolicy } from './policy-files.ts';

/** Reports of this version; the others of the contract arrive with the credit engine. */
const REPORTS = [
  'aging',
  'payment-behaviour',
  'kpi',
  'customer',
  'dunning',
  'promises',
  ...ASSESSMENT_REPORTS,
] as const;
const PLANNED_REPORTS: string[] = [];

function options(t: Translate, config: Config, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'as-of': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      currency: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  for (const key of ['as-of', 'from', 'to'] as const) {
    const value = values[key];
    if (value !== undefined && !isIsoDate(value))
      throw new UsageError(t('errors.date.invalid', { value, format: 'YYYY-MM-DD' }));
  }
  const currency = values.currency?.toUpperCase();
  if (currency && !isCurrencyCode(currency))
    throw new UsageError(t('errors.money.unknown_currency', { currency }));
  const asOf = values['as-of'] ?? dateInTimeZone(new Date(), config.defaultTimeZone);
  return {
    positionals,
    asOf,
    currency,
    json: values.json === true,
    from: values.from,
    to: values.to,
  };
}

/** `creditops report aging|payment-behaviour|kpi|customer NAME [--as-of DATE] [--currency XXX] [--json]` */
export async function runReport(config: Config, t: Translate, args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name && PLANNED_REPORTS.includes(name)) {
    console.error(t('cli.not_available', { command: `report ${name}` }));
    return EXIT.usage;
  }
  if (!name || !(REPORTS as readonly string[]).includes(name))
    throw new UsageError(t('cli.report.usage'));
  const o = options(t, config, rest);
  const locale = config.defaultLocale;
  // Bucket edges and status thresholds come from the policy files, as on the card and REST.
  const policy = loadPolicy(config.policyDir);
  return withDatabase(config, 'creditops report', async ({ db }) => {
    const store = createStore(db);
    if (name === 'kpi' || name === 'customer') {
      const timeZone = config.defaultTimeZone;
      return runCreditReport(name, { store, policy, t, locale, timeZone }, o);
    }
    if (name === 'dunning' || name === 'promises') {
      const timeZone = config.defaultTimeZone;
      return runCollectionsReport(name, { store, policy, t, locale, timeZone }, o);
    }
    if (name === 'proposals' || name === 'reviews') {
      const timeZone = config.defaultTimeZone;
      return runAssessmentReport(name, { store, policy, t, locale, timeZone }, o);
    }
    if (name === 'aging') {
      const reports = await agingReport(store.reports, {
        asOf: o.asOf,
        ...(o.currency ? { currency: o.currency } : {}),
        edges: policy.aging.edges,
      });
      if (o.json) {
        console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
        return EXIT.ok;
      }
      const labels = agingBuckets(policy.aging.edges).map((b) => bucketLabel(b, t));
      console.log(t('aging.heading', { date: formatDate(o.asOf, locale) }));
      if (reports.length === 0) console.log(t('aging.nothing_open'));
      const fmt = (minor: number, currency: string) => formatMoney(money(minor, currency), locale);
      const rows = reports.map((r) => [
        r.currency,
        ...r.buckets.map((b) => fmt(b.amountMinor, r.currency)),
        fmt(r.totalMinor, r.currency),
      ]);
      const columns = [t('aging.currency'), ...labels, t('report.total')];
      if (rows.length > 0)
        console.log(
          renderTable(
            { columns, rows, align: columns.map((_, i) => (i === 0 ? 'left' : 'right')) },
            '',
          ).join('\n'),
        );
      // Disputed invoices are in no bucket; each currency shows them on a line of its own.
      for (const r of reports.filter((report) => report.disputedCount > 0))
        console.log(
          t('aging.disputed', {
            amount: fmt(r.disputedMinor, r.currency),
            count: r.disputedCount,
          }),
        );
      return EXIT.ok;
    }
    const rows = await store.reports.paymentBehaviour({
      ...(o.from ? { from: o.from } : {}),
      ...(o.to ? { to: o.to } : {}),
    });
    const out = rows.map((r) => ({ ...r, averageDaysLate: averageDaysLate(r) }));
    if (o.json) console.log(JSON.stringify(out, null, 2));
    else {
      const columns = [
        t('report.customer'),
        t('report.settled'),
        t('report.late'),
        t('report.average_days_late'),
      ];
      const body = out.map((r) => [
        r.customerCode,
        String(r.settledCount),
        String(r.lateCount),
        r.averageDaysLate.toFixed(2),
      ]);
      console.log(
        renderTable({ columns, rows: body, align: ['left', 'right', 'right', 'right'] }, '').join(
          '\n',
        ),
      );
    }
    return EXIT.ok;
  });
}
