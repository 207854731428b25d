import { parseArgs } from 'node:util';
import {
  type AssessDeps,
  type AssessResult,
  assessCustomers,
  type CustomerAssessment,
} from './app/assessments.ts';
import type { Locale } from './app/locales.ts';
import type { Store } from './app/ports.ts';
import { limitLines } from './chat/assessment-card.ts';
import { formatDate, formatMoney } from './chat/format.ts';
import type { Translate } from './chat/i18n.ts';
import { cliActor, EXIT, UsageError, withDatabase } from './cli-support.ts';
import type { Config } from './config.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone, type IsoDate, isIsoDate } from './domain/dates.ts';
import { DomainError } from './domain/errors.ts';
import { money } from './domain/money.ts';
import { loadPolicy } from './policy-files.ts';

// `npx creditops assess <customer code|--all> [--as-of YYYY-MM-DD] [--json]`: scores the
// customers, recommends their limits and sets their next review, storing every assessment.

/** The assessment as JSON: amounts are integers in minor units of `currency`. */
function json(a: CustomerAssessment) {
  return {
    code: a.code,
    legalName: a.legalName,
    currency: a.currency,
    asOf: a.asOf,
    scorecardVersion: a.scorecardVersion,
    score: a.score,
    rating: a.rating,
    previousRating: a.previousRating,
    antisocialCheck: a.antisocialCheck,
    proposals: a.proposals,
    pd: a.pd,
    recommendedLimitMinor: a.recommendedLimitMinor,
    limitComponents: a.limit,
    top: a.top,
    contributions: a.contributions,
    inputs: a.inputs,
    nextReviewOn: a.nextReviewOn,
  };
}

function describe(a: CustomerAssessment, t: Translate, locale: Locale): string[] {
  const ctx = { t, locale };
  const lines = [
    t('cli.assess.line', {
      code: a.code,
      name: a.legalName,
      score: a.score,
      rating: a.rating,
      amount: formatMoney(money(a.recommendedLimitMinor, a.currency), locale),
      date: formatDate(a.nextReviewOn, locale),
    }),
    ...limitLines(a.limit, a.currency, ctx).map((l) => `  ${l}`),
  ];
  if (a.antisocialCheck === 'failed') lines.push(`  ${t('scorecard.gate.forced_e')}`);
  for (const p of a.proposals) lines.push(`  ${t(`scorecard.proposal.${p}`)}`);
  return lines;
}

/**
 * Assesses the customers an import touched (e.g. after `import credit-reports`), as the
 * command line does: today in the configured time zone, the policy of POLICY_DIR.
 */
export function reassessCustomers(
  store: Store,
  config: Config,
  customerIds: readonly number[],
  source = 'import',
): Promise<AssessResult> {
  const deps: AssessDeps = {
    store,
    policy: loadPolicy(config.policyDir),
    clock: { now: () => new Date() },
    timeZone: config.defaultTimeZone,
  };
  return assessCustomers(deps, { customerIds, actor: cliActor(), source });
}

/** `creditops assess <customer code|--all> [--as-of YYYY-MM-DD] [--json]` */
export async function runAssess(config: Config, t: Translate, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      all: { type: 'boolean' },
      'as-of': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const all = values.all === true;
  const [code, ...extra] = positionals;
  if (extra.length > 0 || (code === undefined) === !all) {
    throw new UsageError(t('cli.assess.usage'));
  }
  const asOfArg = values['as-of'];
  if (asOfArg !== undefined && !isIsoDate(asOfArg)) {
    throw new UsageError(t('errors.date.invalid', { value: asOfArg, format: 'YYYY-MM-DD' }));
  }
  const asOf: IsoDate = asOfArg ?? dateInTimeZone(new Date(), config.defaultTimeZone);
  const policy = loadPolicy(config.policyDir);
  const locale = config.defaultLocale;
  const result = await withDatabase(config, 'creditops assess', async ({ db }) => {
    const store = createStore(db);
    const deps: AssessDeps = {
      store,
      policy,
      clock: { now: () => new Date() },
      timeZone: config.defaultTimeZone,
    };
    const request = { asOf, actor: cliActor(), source: 'cli' };
    if (all) return assessCustomers(deps, { all: true, ...request });
    const wanted = code?.trim() ?? '';
    const ref = (await store.ledger.customersByCode([wanted])).get(wanted);
    if (!ref) throw new DomainError('errors.customer.not_found', { query: wanted });
    return assessCustomers(deps, { customerIds: [ref.id], ...request });
  });
  if (values.json) {
    console.log(
      JSON.stringify(
        {
          asOf: result.asOf,
          assessed: result.assessed.map(json),
          failed: result.failed.map((f) => ({ code: f.code, error: f.error })),
        },
        null,
        2,
      ),
    );
  } else {
    for (const a of result.assessed) console.log(describe(a, t, locale).join('\n'));
    console.log(
      t('cli.assess.done', { count: result.assessed.length, date: formatDate(asOf, locale) }),
    );
  }
  for (const f of result.failed) {
    console.error(
      t('cli.assess.failed', { code: f.code, reason: t(f.error.code, f.error.params) }),
    );
  }
  return result.failed.length > 0 ? EXIT.failed : EXIT.ok;
}
