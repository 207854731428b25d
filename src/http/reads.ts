import type { Context } from 'hono';
import { type CustomerView, viewCustomer } from '../app/lookup.ts';
import type { AgingRow } from '../app/ports.ts';
import { agingReport } from '../app/reports.ts';
import { type AgingBucket, agingBuckets } from '../domain/aging.ts';
import { dateInTimeZone, isIsoDate } from '../domain/dates.ts';
import { isCurrencyCode } from '../domain/money.ts';
import type { HttpDeps, HttpEnv } from './context.ts';
import { HttpProblem } from './problem.ts';

const MAX_CODE_LENGTH = 64;

/** What `GET /customers/{code}` answers: the facts of the chat card, amounts in minor units. */
export function customerSummary(view: CustomerView) {
  const bucketRows = (buckets: readonly AgingBucket[], row: AgingRow) =>
    buckets.map((b, i) => ({
      label: b.key,
      amountMinor: row.bucketMinor[i] ?? 0,
      count: row.bucketCount[i] ?? 0,
    }));
  return {
    code: view.code,
    legalName: view.legalName,
    nameKana: view.nameKana,
    country: view.country,
    currency: view.currency,
    segment: view.segment,
    owner: view.ownerName,
    phase: view.phase,
    creditLimitMinor: view.creditLimit.minor,
    exposureMinor: view.exposureMinor,
    openOrdersMinor: view.openOrders.minor,
    utilisationBp: view.utilisationBp ?? null,
    status: { colour: view.status.colour, reasons: view.status.reasons },
    flags: {
      creditHold: view.creditHold,
      strategic: view.strategic,
      blacklisted: view.blacklisted,
    },
    asOf: view.asOf,
    aging: view.aging.map((row) => ({
      currency: row.currency,
      buckets: bucketRows(view.buckets, row),
      disputedMinor: row.disputedMinor,
      disputedCount: row.disputedCount,
    })),
    maxDaysOverdue: view.maxDaysOverdue,
    assessment: view.assessment
      ? {
          score: view.assessment.score,
          rating: view.assessment.rating,
          pd: view.assessment.pd,
          assessedAt: view.assessment.assessedAt.toISOString(),
        }
      : null,
    nextReviewOn: view.nextReviewOn,
  };
}

export type CustomerSummary = ReturnType<typeof customerSummary>;

/** `GET /customers/{code}`: by the exact code, never by a fuzzy name match. */
export function customerHandler(deps: HttpDeps) {
  return async (c: Context<HttpEnv>): Promise<Response> => {
    const code = c.req.param('code') ?? '';
    const notFound = new HttpProblem('customer_not_found', { params: { code } });
    // No code holds a NUL (imports refuse it), and PostgreSQL refuses one in a query.
    if (code.length === 0 || code.length > MAX_CODE_LENGTH || code.includes('\u0000')) {
      throw notFound;
    }
    const ref = (await deps.store.ledger.customersByCode([code])).get(code);
    if (!ref) throw notFound;
    const asOf = dateInTimeZone(deps.clock.now(), deps.timeZone);
    const buckets = agingBuckets(deps.policy.aging.edges);
    const snapshot = await deps.store.customers.snapshot({ customerId: ref.id, asOf, buckets });
    if (!snapshot) throw notFound;
    return c.json(customerSummary(viewCustomer(snapshot, asOf, buckets, deps.policy)));
  };
}

/** `GET /aging?asOf=YYYY-MM-DD&currency=XXX`: one report per currency, never summed across. */
export function agingHandler(deps: HttpDeps) {
  return async (c: Context<HttpEnv>): Promise<Response> => {
    const t = c.get('t');
    const asOf = c.req.query('asOf') ?? dateInTimeZone(deps.clock.now(), deps.timeZone);
    if (!isIsoDate(asOf)) {
      const reason = t('errors.date.invalid', { value: asOf, format: 'YYYY-MM-DD' });
      throw new HttpProblem('bad_query', { params: { parameter: 'asOf', reason } });
    }
    const currency = c.req.query('currency')?.trim().toUpperCase() || undefined;
    if (currency !== undefined && !isCurrencyCode(currency)) {
      const reason = t('errors.money.unknown_currency', { currency });
      throw new HttpProblem('bad_query', { params: { parameter: 'currency', reason } });
    }
    const reports = await agingReport(deps.store.reports, {
      asOf,
      ...(currency ? { currency } : {}),
      edges: deps.policy.aging.edges,
    });
    return c.json(reports);
  };
}
