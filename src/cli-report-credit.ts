import { renderCard, renderTable } from './adapters/console/index.ts';
import { type KpiReport, kpiReport, LATENESS_MONTHS } from './app/kpi-report.ts';
import type { Locale } from './app/locales.ts';
import { type CustomerView, lookUpCustomer } from './app/lookup.ts';
import type { CreditPolicy } from './app/policy.ts';
import type { Store } from './app/ports.ts';
import type { Card } from './chat/card.ts';
import { chooseCard, customerCard, noMatchCard } from './chat/customer-card.ts';
import { formatDate, formatMoney, formatPercent } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT, UsageError } from './cli-support.ts';
import type { IsoDate } from './domain/dates.ts';
import { money } from './domain/money.ts';
import { customerSummary } from './http/reads.ts';

// `creditops report kpi` and `creditops report customer NAME`: the use cases' results as a
// table or card in the operator's language, or as JSON with amounts in minor units.

export interface CreditReportContext {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
}

export interface CreditReportOptions {
  readonly positionals: readonly string[];
  readonly asOf: IsoDate;
  readonly currency: string | undefined;
  readonly json: boolean;
}

function kpiTable(reports: readonly KpiReport[], { t, locale }: CreditReportContext): string[] {
  const na = t('kpi.not_available');
  const days = (value: number | null) =>
    value === null ? na : t('kpi.days', { value: value.toFixed(1) });
  // The domain rounds percentages to one decimal; as basis points they format exactly.
  const percent = (value: number | null) =>
    value === null ? na : formatPercent(Math.round(value * 100), locale);
  const amount = (r: KpiReport, minor: number) => formatMoney(money(minor, r.currency), locale);
  const [first] = reports;
  const dsoDays = first?.periods.dso.days;
  const ceiDays = first?.periods.cei.days;
  const months = LATENESS_MONTHS;
  const rows: [string, (r: KpiReport) => string][] = [
    [t('kpi.dso_simple', { days: dsoDays }), (r) => days(r.dso.simple)],
    [t('kpi.dso_countback'), (r) => days(r.dso.countback)],
    [t('kpi.best_possible_dso'), (r) => days(r.dso.bestPossible)],
    [t('kpi.average_days_delinquent'), (r) => days(r.dso.averageDaysDelinquent)],
    [t('kpi.cei', { days: ceiDays }), (r) => percent(r.cei)],
    [t('kpi.overdue_ratio'), (r) => percent(r.overdueRatio)],
    [t('kpi.collection_rate', { days: ceiDays }), (r) => percent(r.collectionRate)],
    [t('kpi.average_days_late', { months }), (r) => days(r.averageDaysLate)],
    [
      t('kpi.late_share', { months }),
      (r) => (r.lateShareBp === null ? na : formatPercent(r.lateShareBp, locale)),
    ],
    [t('kpi.receivables'), (r) => amount(r, r.inputs.arMinor)],
    [t('kpi.current_receivables'), (r) => amount(r, r.inputs.currentArMinor)],
    [t('kpi.overdue_receivables'), (r) => amount(r, r.inputs.overdueArMinor)],
    [t('kpi.credit_sales', { days: dsoDays }), (r) => amount(r, r.inputs.salesMinor)],
    [t('kpi.collected', { days: ceiDays }), (r) => amount(r, r.inputs.collectedMinor)],
    [t('kpi.settled_invoices', { months }), (r) => String(r.inputs.settledInvoices)],
  ];
  const columns = [t('kpi.kpi'), ...reports.map((r) => r.currency)];
  return renderTable(
    {
      columns,
      rows: rows.map(([label, cell]) => [label, ...reports.map(cell)]),
      align: columns.map((_, i) => (i === 0 ? 'left' : 'right')),
    },
    '',
  );
}

/** What a report prints: lines for stdout and stderr, and the exit code. */
export interface ReportOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ok = (stdout: string): ReportOutput => ({ code: EXIT.ok, stdout, stderr: '' });
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function kpis(ctx: CreditReportContext, o: CreditReportOptions): Promise<ReportOutput> {
  const { t, locale } = ctx;
  const reports = await kpiReport(ctx.store.kpis, {
    asOf: o.asOf,
    ...(o.currency ? { currency: o.currency } : {}),
  });
  if (o.json) return ok(json(reports));
  const heading = t('kpi.heading', { date: formatDate(o.asOf, locale) });
  const [first] = reports;
  if (!first) return ok(`${heading}\n${t('kpi.nothing')}\n`);
  const { dso, cei, lateness } = first.periods;
  const periods = t('kpi.periods', {
    dsoFrom: formatDate(dso.from, locale),
    ceiFrom: formatDate(cei.from, locale),
    latenessFrom: formatDate(lateness.from, locale),
    to: formatDate(o.asOf, locale),
  });
  const undefinedKpi = reports.some((r) =>
    [...Object.values(r.dso), r.cei, r.overdueRatio, r.averageDaysLate, r.collectionRate].includes(
      null,
    ),
  );
  const notes = [t('kpi.disputed_note'), ...(undefinedKpi ? [t('kpi.not_available_note')] : [])];
  const lines = [heading, ...kpiTable(reports, ctx), '', periods, notes.join(' ')];
  return ok(`${lines.join('\n')}\n`);
}

/** The customer view as JSON: the REST API's summary plus the card's contacts and promises. */
function customerJson(view: CustomerView) {
  return {
    ...customerSummary(view),
    lastContacts: view.lastContacts.map((c) => ({
      contactedAt: c.contactedAt.toISOString(),
      method: c.method,
      outcome: c.outcome,
      actor: c.actorLabel,
      note: c.note,
    })),
    openPromises: view.openPromises.map((p) => ({
      promisedOn: p.promisedOn,
      amountMinor: p.amount.minor,
      currency: p.amount.currency,
      status: p.status,
    })),
  };
}

/** A pick list or suggestions card, its chat buttons turned into the command to run instead. */
function forTheCommandLine(card: Card, codes: readonly string[], t: Translate): Card {
  return {
    ...card,
    lines: [
      ...(card.lines ?? []).filter((line) => line !== t('lookup.choose_hint')),
      ...(codes.length > 0 ? ['', t('customer_report.run_again')] : []),
    ],
    actions: codes.map((code, i) => ({
      label: card.actions?.[i]?.label ?? code,
      command: `creditops report customer ${code}`,
    })),
  };
}

async function customer(ctx: CreditReportContext, o: CreditReportOptions): Promise<ReportOutput> {
  const { t, locale, timeZone } = ctx;
  const query = o.positionals.join(' ').trim();
  if (query.length === 0) throw new UsageError(t('customer_report.usage'));
  const result = await lookUpCustomer(
    { store: ctx.store, clock: { now: () => new Date() }, timeZone, policy: ctx.policy },
    query,
    { asOf: o.asOf },
  );
  const cardContext = { t, locale, timeZone };
  if (result.kind === 'found') {
    if (o.json) return ok(json(customerJson(result.customer)));
    // The chat card without its chat buttons, rendered as the console shows it.
    const { actions: _chatButtons, ...card } = customerCard(result.customer, cardContext);
    return ok(renderCard(card));
  }
  const matches = result.kind === 'choose' ? result.candidates : result.suggestions;
  const codes = matches.map((m) => m.code);
  if (o.json) {
    const title =
      result.kind === 'choose'
        ? t('lookup.choose_title', { count: matches.length, query: result.query })
        : t('lookup.none_title', { query: result.query });
    const candidates = matches.map((m) => ({
      code: m.code,
      legalName: m.legalName,
      matchedName: m.matchedName,
    }));
    const error = result.kind === 'choose' ? 'ambiguous' : 'not_found';
    return {
      code: EXIT.failed,
      stdout: json({ error, query: result.query, candidates }),
      stderr: `${title}\n`,
    };
  }
  const card =
    result.kind === 'choose'
      ? chooseCard(result.query, matches, cardContext)
      : noMatchCard(result.query, matches, cardContext);
  return { code: EXIT.failed, stdout: '', stderr: renderCard(forTheCommandLine(card, codes, t)) };
}

/** `report kpi` and `report customer`, as text; the caller has parsed the shared options. */
export function creditReport(
  name: 'kpi' | 'customer',
  ctx: CreditReportContext,
  o: CreditReportOptions,
): Promise<ReportOutput> {
  return name === 'kpi' ? kpis(ctx, o) : customer(ctx, o);
}

/** `report kpi` and `report customer`, printed; resolves to the exit code. */
export async function runCreditReport(
  name: 'kpi' | 'customer',
  ctx: CreditReportContext,
  o: CreditReportOptions,
): Promise<number> {
  const out = await creditReport(name, ctx, o);
  process.stdout.write(out.stdout);
  process.stderr.write(out.stderr);
  return out.code;
}
