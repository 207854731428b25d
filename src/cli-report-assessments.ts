import { renderTable } from './adapters/console/index.ts';
import type { Locale } from './app/locales.ts';
import type { CreditPolicy } from './app/policy.ts';
import type { Store } from './app/ports.ts';
import { proposalsReport } from './app/proposals.ts';
import { reviewsReport } from './app/reviews.ts';
import { reasonText } from './chat/assessment-card.ts';
import { formatDate } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { EXIT } from './cli-support.ts';
import type { IsoDate } from './domain/dates.ts';

// `creditops report proposals` and `creditops report reviews`: the phase moves the rules
// propose (strategic accounts apart) and the credit reviews due, as a table or as JSON.

export interface AssessmentReportContext {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
}

export interface AssessmentReportOptions {
  readonly asOf: IsoDate;
  readonly json: boolean;
}

export const ASSESSMENT_REPORTS = ['proposals', 'reviews'] as const;
export type AssessmentReportName = (typeof ASSESSMENT_REPORTS)[number];

function table(columns: string[], rows: string[][], right: readonly number[] = []): string {
  const align = columns.map((_, i) => (right.includes(i) ? ('right' as const) : ('left' as const)));
  return renderTable({ columns, rows, align }, '').join('\n');
}

async function proposals(ctx: AssessmentReportContext, o: AssessmentReportOptions) {
  const { t, locale } = ctx;
  const deps = { ...ctx, clock: { now: () => new Date() } };
  const report = await proposalsReport(deps, { asOf: o.asOf });
  if (o.json) {
    console.log(JSON.stringify(report, null, 2));
    return EXIT.ok;
  }
  const reasons = (r: (typeof report.proposals)[number]) =>
    r.reasons.map((x) => reasonText(x, { t, locale })).join(t('list.separator'));
  const columns = [
    t('report.customer'),
    t('report.name'),
    t('report.phase_move'),
    t('report.reasons'),
  ];
  console.log(t('report.proposals.heading', { date: formatDate(report.asOf, locale) }));
  if (report.proposals.length === 0) console.log(t('report.proposals.none'));
  else {
    const rows = report.proposals.map((p) => [
      p.code,
      p.legalName,
      `${t(`phase.${p.from}`)} → ${t(`phase.${p.to}`)}`,
      reasons(p),
    ]);
    console.log(table(columns, rows));
  }
  if (report.strategic.length > 0) {
    console.log('');
    console.log(t('report.proposals.strategic_heading', { count: report.strategic.length }));
    const rows = report.strategic.map((p) => [
      p.code,
      p.legalName,
      `${t(`phase.${p.from}`)} → ${t(`phase.${p.to}`)}`,
      reasons(p),
    ]);
    console.log(table(columns, rows));
  }
  return EXIT.ok;
}

async function reviews(ctx: AssessmentReportContext, o: AssessmentReportOptions) {
  const { t, locale } = ctx;
  const report = await reviewsReport(
    { ...ctx, clock: { now: () => new Date() } },
    { asOf: o.asOf },
  );
  if (o.json) {
    console.log(JSON.stringify(report, null, 2));
    return EXIT.ok;
  }
  console.log(t('reviews.heading', { date: formatDate(report.asOf, locale) }));
  if (report.reviews.length === 0) {
    console.log(t('reviews.none'));
    return EXIT.ok;
  }
  const columns = [
    t('report.customer'),
    t('report.name'),
    t('report.rating'),
    t('card.owner'),
    t('report.review_on'),
    t('report.state'),
  ];
  const rows = report.reviews.map((r) => [
    r.code,
    r.legalName,
    r.rating ?? t('card.none'),
    r.ownerName ?? t('card.unassigned'),
    formatDate(r.nextReviewOn, locale),
    r.state === 'overdue'
      ? t('reviews.days_overdue', { count: r.daysOverdue })
      : t(`reviews.state.${r.state}`),
  ]);
  console.log(table(columns, rows));
  return EXIT.ok;
}

/** `creditops report proposals|reviews [--as-of DATE] [--json]` */
export function runAssessmentReport(
  name: AssessmentReportName,
  ctx: AssessmentReportContext,
  o: AssessmentReportOptions,
): Promise<number> {
  return name === 'proposals' ? proposals(ctx, o) : reviews(ctx, o);
}
