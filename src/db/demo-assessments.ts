// The demo ledger's credit assessments, made by the product's own scorecard and limit
// recommendation: each customer gets bureau reports (score, PD, capital, revenue, founding
// date) chosen so that the scorecard lands on the score the plan asks for, and each
// assessment is `evaluate` of those reports plus the customer's planned invoices — the same
// inputs `creditops assess` reads back from the database.

import type { ScoreFacts, StoredCreditReport } from '../app/assessment-ports.ts';
import { type Evaluation, evaluate, inputsFromFacts, ledgerWindow } from '../app/assessments.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/dates.ts';
import { DEFAULT_LIMIT_POLICY } from '../domain/limits.ts';
import { minorDigits } from '../domain/money.ts';
import { addMonths, DEFAULT_REVIEW_POLICY } from '../domain/reviews.ts';
import {
  DEFAULT_SCORECARD,
  type ScoreBand,
  type ScoreInputs,
  type ScoreItemKey,
  scoreCustomer,
} from '../domain/scorecard.ts';
import type { Random } from './demo-data.ts';

const POLICY = {
  scorecard: DEFAULT_SCORECARD,
  limits: DEFAULT_LIMIT_POLICY,
  reviews: DEFAULT_REVIEW_POLICY,
} as const;

/** What the plan knows of a customer and its invoices. */
export interface DemoCustomer {
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly strategic: boolean;
  /** What the customer's invoices are sized against (minor units): its capital follows it. */
  readonly scaleMinor: number;
}

export interface DemoInvoice {
  readonly issuedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly amountMinor: number;
  readonly openMinor: number;
  readonly paidOn: IsoDate | undefined;
}

/** The firm behind a customer: fixed across its reports. */
export interface DemoFirm {
  readonly foundedOn: IsoDate;
  readonly capitalMinor: number;
  readonly revenueMinor: number;
}

export interface DemoAssessment {
  readonly on: IsoDate;
  readonly report: StoredCreditReport;
  readonly evaluation: Evaluation;
}

/** The facts `assessment-repository.ts` would read for this customer as of `on`. */
function ledgerFacts(invoices: readonly DemoInvoice[], on: IsoDate) {
  const { from } = ledgerWindow(on);
  let settledCount = 0;
  let lateCount = 0;
  let totalDaysLate = 0;
  let tradeVolumeMinor = 0;
  for (const i of invoices) {
    if (i.issuedOn >= from && i.issuedOn <= on) tradeVolumeMinor += i.amountMinor;
    const settled = i.openMinor === 0 ? i.paidOn : undefined;
    if (settled === undefined || settled < from || settled > on) continue;
    settledCount += 1;
    const late = daysBetween(i.dueOn, settled);
    if (late > 0) {
      lateCount += 1;
      totalDaysLate += late;
    }
  }
  return { settledCount, lateCount, totalDaysLate, tradeVolumeMinor };
}

interface Option {
  readonly weighted: number;
  readonly points: number;
  readonly apply: Partial<ScoreInputs>;
}

const cache = new Map<string, { weighted: number; points: number }>();

/** One item's weighted points for one input, from the scorecard itself; `id` names its band. */
function itemScore(currency: string, key: ScoreItemKey, apply: Partial<ScoreInputs>, id: string) {
  let hit = cache.get(id);
  if (!hit) {
    const c = scoreCustomer({ currency, ...apply }, POLICY.scorecard).contributions.find(
      (x) => x.item === key,
    );
    hit = { weighted: c?.weighted ?? 0, points: c?.points ?? 0 };
    cache.set(id, hit);
  }
  return hit;
}

function bandsOf(key: ScoreItemKey, currency: string): readonly ScoreBand[] {
  const item = POLICY.scorecard.items.find((i) => i.key === key);
  return item?.bands ?? item?.bandsByCurrency?.[currency] ?? [];
}

/** A band's range of plausible whole values: open ends closed at a sensible distance. */
function range(band: ScoreBand, span: number): readonly [number, number] {
  const low = band.from ?? Math.max(0, (band.to ?? span) - span);
  const high = band.to === undefined ? low + span : band.to - 1;
  return [Math.max(low, 1), Math.max(high, Math.max(low, 1))];
}

/** The options of one item, one per band (`values` in band order): points are per band. */
function options(
  currency: string,
  key: ScoreItemKey,
  values: readonly Partial<ScoreInputs>[],
): Option[] {
  return values.map((apply, band) => ({
    ...itemScore(currency, key, apply, `${currency}:${key}:${band}`),
    apply,
  }));
}

/** Picks one option per dimension so that the score is `target`, or as near as it gets. */
function solve(fixed: number, dims: readonly (readonly Option[])[], target: number): Option[] {
  const index = dims.map(() => 0);
  let best: { miss: number; cost: number; pick: number[] } | undefined;
  for (;;) {
    let sum = fixed;
    let cost = 0;
    dims.forEach((dim, d) => {
      const o = dim[index[d] ?? 0];
      sum += o?.weighted ?? 0;
      cost += Math.abs((o?.points ?? 0) - target);
    });
    const miss = Math.abs(Math.floor((sum + 50) / 100) - target);
    if (!best || miss < best.miss || (miss === best.miss && cost < best.cost)) {
      best = { miss, cost, pick: [...index] };
    }
    let d = 0;
    for (; d < dims.length; d += 1) {
      const next = (index[d] ?? 0) + 1;
      if (next < (dims[d]?.length ?? 0)) {
        index[d] = next;
        break;
      }
      index[d] = 0;
    }
    if (d === dims.length) break;
  }
  return dims.flatMap((dim, d) => dim[best?.pick[d] ?? 0] ?? []);
}

function nice(major: number): number {
  if (major < 100) return Math.max(1, Math.floor(major));
  const unit = 10 ** (Math.floor(Math.log10(major)) - 1);
  return Math.floor(major / unit) * unit;
}

interface Target {
  readonly on: IsoDate;
  readonly target: number;
  readonly pd: number;
}

/** One candidate value per band of an item, drawn inside the band. */
function perBand(
  random: Random,
  key: ScoreItemKey,
  currency: string,
  span: number,
): readonly number[] {
  return bandsOf(key, currency)
    .filter((b) => b.to === undefined || b.to > 0)
    .map((band) => {
      const [low, high] = range(band, span);
      return random.int(low, high);
    });
}

/** Paid-in capital of 5 to 20 times the customer's scale, as a round figure. */
function drawCapital(random: Random, c: DemoCustomer): number {
  const unit = 10 ** minorDigits(c.currency);
  const major = Math.floor((c.scaleMinor * random.int(5, 20)) / unit);
  return nice(major) * unit;
}

type Firm = Omit<DemoFirm, 'foundedOn'> & { readonly foundedOn: IsoDate | null };

/**
 * A customer's assessments, the latest first, each as near its target score as the scorecard
 * allows. The firm's capital follows the customer's scale; the latest assessment also picks
 * how long the firm has been in business, and every assessment picks its bureau score and the
 * credit manager's judgement. `random` is a stream apart from the ledger's, so the invoices,
 * orders and contacts do not depend on it.
 */
export function demoAssessments(input: {
  readonly random: Random;
  readonly customer: DemoCustomer;
  readonly invoices: readonly DemoInvoice[];
  readonly targets: readonly Target[];
}): DemoAssessment[] {
  const { random, customer: c, invoices } = input;
  const capitalMinor = drawCapital(random, c);
  const draft: Firm = {
    capitalMinor,
    revenueMinor: capitalMinor * random.int(3, 25),
    foundedOn: null,
  };
  const years = options(
    c.currency,
    'years_in_business',
    perBand(random, 'years_in_business', c.currency, 40).map((y) => ({ yearsInBusiness: y })),
  );
  const judgement = options(
    c.currency,
    'qualitative',
    ([1, 2, 3, 4, 5] as const).map((q) => ({ qualitative: q })),
  );
  let firm: DemoFirm | undefined;
  const out: DemoAssessment[] = [];
  for (const t of input.targets) {
    const reportedOn = addDays(t.on, -random.int(1, 14));
    const ledger = ledgerFacts(invoices, t.on);
    const facts = (f: Firm, bureauScore: number | null): ScoreFacts => ({
      customerId: 0,
      code: c.code,
      legalName: c.legalName,
      currency: c.currency,
      strategic: c.strategic,
      nextReviewOn: null,
      report: {
        source: 'demo-bureau',
        sourceReportId: `DEMO-CR-${c.code}-${out.length + 1}`,
        reportedOn,
        bureauScore,
        pd: t.pd,
        currency: c.currency,
        capitalMinor: f.capitalMinor,
        revenueMinor: f.revenueMinor,
        foundedOn: f.foundedOn,
      },
      latest: undefined,
      antisocialHit: false,
      ...ledger,
    });
    const free = new Set<ScoreItemKey>(['bureau_score', 'qualitative']);
    if (!firm) free.add('years_in_business');
    const fixed = scoreCustomer(inputsFromFacts(facts(firm ?? draft, null), t.on), POLICY.scorecard)
      .contributions.filter((x) => !free.has(x.item))
      .reduce((sum, x) => sum + x.weighted, 0);
    const bureau = options(
      c.currency,
      'bureau_score',
      perBand(random, 'bureau_score', c.currency, 20).map((v) => ({ bureauScore: v })),
    );
    const pick = solve(fixed, firm ? [bureau, judgement] : [bureau, judgement, years], t.target);
    const chosen = Object.assign({}, ...pick.map((o) => o.apply)) as Partial<ScoreInputs>;
    // Founded that many whole years (and up to ten months) before the latest assessment.
    firm ??= {
      ...draft,
      foundedOn: addDays(
        addMonths(t.on, -12 * (chosen.yearsInBusiness ?? 10)),
        -random.int(0, 300),
      ),
    };
    const f = facts(firm, chosen.bureauScore ?? null);
    if (!f.report) throw new Error('a demo assessment always has its report');
    const inputs = {
      ...inputsFromFacts(f, t.on),
      ...(chosen.qualitative === undefined ? {} : { qualitative: chosen.qualitative }),
    };
    out.push({ on: t.on, report: f.report, evaluation: evaluate(inputs, POLICY) });
  }
  return out;
}
