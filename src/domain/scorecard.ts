import { z } from 'zod';
import { RATINGS, type Rating } from './credit.ts';
import { DomainError } from './errors.ts';
import { isCurrencyCode, minorDigits } from './money.ts';
import { parsePolicy } from './policy.ts';

/**
 * The scorecard (点数化 / 评分卡): eight items, each scored 0–100 points through bands and
 * weighted in whole percentage points, give a score of 0–100 and a rating A–E. The card is a
 * credit department's policy in `config/scorecard.json`; this module only validates and applies
 * it, so the same inputs and the same card always give the same assessment.
 */

export const SCORE_ITEMS = [
  'bureau_score',
  'years_in_business',
  'capital',
  'avg_days_late',
  'late_share',
  'trade_volume',
  'strategic',
  'qualitative',
] as const;
export type ScoreItemKey = (typeof SCORE_ITEMS)[number];

/** Items measured in money: their bands are per currency, in major units (yen, yuan, dollars). */
export const CURRENCY_ITEMS: readonly ScoreItemKey[] = ['capital', 'trade_volume'];

export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const ANTISOCIAL_CHECKS = ['passed', 'failed', 'not_checked'] as const;
export type AntisocialCheck = (typeof ANTISOCIAL_CHECKS)[number];

/**
 * A band is half-open: it holds values `from ≤ v < to`. The first band has no `from` (open
 * below) and the last has no `to` (open above); each band starts exactly where the previous one
 * ends, so every value falls in exactly one band. Booleans score as 0 (no) and 1 (yes).
 */
export interface ScoreBand {
  readonly label?: string;
  readonly from?: number;
  readonly to?: number;
  readonly points: number;
}

/**
 * One item. `bands` for plain numbers; `bandsByCurrency` (edges in whole major units, e.g.
 * `{ JPY: [...], USD: [...] }`) for `capital` and `trade_volume`. `missingPoints` (neutral 50
 * unless set) scores an input nobody supplied, so a missing figure neither helps nor hurts.
 */
export interface ScorecardItem {
  readonly key: ScoreItemKey;
  readonly weight: number;
  readonly direction: Direction;
  readonly missingPoints: number;
  readonly bands?: readonly ScoreBand[];
  readonly bandsByCurrency?: Readonly<Record<string, readonly ScoreBand[]>>;
}

/** Ratings from best to worst: the first whose `minScore` the score reaches. The last is 0. */
export interface RatingThreshold {
  readonly rating: Rating;
  readonly minScore: number;
}

export interface Scorecard {
  readonly version: string;
  readonly items: readonly ScorecardItem[];
  readonly ratings: readonly RatingThreshold[];
}

// ---------------------------------------------------------------------------------------------
// Validation

const NEUTRAL_POINTS = 50;
const points = z.int().min(0).max(100);
const label = z.string().min(1).max(40).optional();
const plainBand = z.strictObject({
  label,
  from: z.number().optional(),
  to: z.number().optional(),
  points,
});
const currencyBand = z.strictObject({
  label,
  from: z.int().optional(),
  to: z.int().optional(),
  points,
});

const itemSchema = z.strictObject({
  key: z.enum(SCORE_ITEMS),
  weight: z.int().min(0).max(100),
  direction: z.enum(DIRECTIONS),
  missingPoints: points.default(NEUTRAL_POINTS),
  bands: z.array(plainBand).min(1).optional(),
  bandsByCurrency: z.record(z.string(), z.array(currencyBand).min(1)).optional(),
});

type Issue = {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly params?: Record<string, string | number>;
};

/**
 * Sorted, contiguous, open at both ends: the rule in {@link ScoreBand}. Order and overlaps are
 * checked before gaps, so a shuffled list is reported as unsorted rather than as a gap.
 */
function bandIssues(bands: readonly ScoreBand[], path: readonly (string | number)[]): Issue[] {
  for (const [i, band] of bands.entries()) {
    const previous = bands[i - 1];
    if (band.from !== undefined && band.to !== undefined && band.to <= band.from) {
      return [{ path: [...path, i, 'to'], message: 'errors.policy.bands_overlap' }];
    }
    const overlaps =
      previous !== undefined &&
      (band.from === undefined || previous.to === undefined || band.from < previous.to);
    if (overlaps) return [{ path: [...path, i, 'from'], message: 'errors.policy.bands_overlap' }];
  }
  for (const [i, band] of bands.entries()) {
    const previous = bands[i - 1];
    const gapBefore = previous === undefined ? band.from !== undefined : band.from !== previous.to;
    if (gapBefore) return [{ path: [...path, i, 'from'], message: 'errors.policy.bands_gap' }];
    if (i === bands.length - 1 && band.to !== undefined) {
      return [{ path: [...path, i, 'to'], message: 'errors.policy.bands_gap' }];
    }
  }
  return [];
}

/** Points may only rise (or only fall) from band to band, so the score is monotone in the input. */
function monotoneIssues(
  bands: readonly ScoreBand[],
  direction: Direction,
  path: readonly (string | number)[],
): Issue[] {
  for (let i = 1; i < bands.length; i++) {
    const before = bands[i - 1]?.points ?? 0;
    const after = bands[i]?.points ?? 0;
    const wrong = direction === 'higher_is_better' ? after < before : after > before;
    if (wrong) {
      return [
        {
          path: [...path, i, 'points'],
          message: 'errors.policy.points_not_monotone',
          params: { direction },
        },
      ];
    }
  }
  return [];
}

function currencyBandIssues(
  currency: string,
  bands: readonly ScoreBand[],
  path: readonly (string | number)[],
): Issue[] {
  if (!isCurrencyCode(currency)) {
    return [{ path, message: 'errors.policy.unknown_currency', params: { currency } }];
  }
  const scale = 10 ** minorDigits(currency);
  for (const [i, band] of bands.entries()) {
    for (const edge of ['from', 'to'] as const) {
      const value = band[edge];
      if (value !== undefined && !Number.isSafeInteger(value * scale)) {
        return [{ path: [...path, i, edge], message: 'errors.policy.invalid' }];
      }
    }
  }
  return [];
}

function itemIssues(item: ScorecardItem, index: number): Issue[] {
  const path = ['items', index];
  const byCurrency = CURRENCY_ITEMS.includes(item.key);
  if (byCurrency && (item.bands !== undefined || item.bandsByCurrency === undefined)) {
    return [{ path: [...path, 'bandsByCurrency'], message: 'errors.policy.invalid' }];
  }
  if (!byCurrency && (item.bandsByCurrency !== undefined || item.bands === undefined)) {
    return [{ path: [...path, 'bands'], message: 'errors.policy.invalid' }];
  }
  const sets: [readonly (string | number)[], readonly ScoreBand[]][] = item.bands
    ? [[[...path, 'bands'], item.bands]]
    : Object.entries(item.bandsByCurrency ?? {}).map(([currency, bands]) => [
        [...path, 'bandsByCurrency', currency],
        bands,
      ]);
  const issues: Issue[] = [];
  for (const [bandPath, bands] of sets) {
    const currency = bandPath[3];
    if (typeof currency === 'string') issues.push(...currencyBandIssues(currency, bands, bandPath));
    issues.push(...bandIssues(bands, bandPath), ...monotoneIssues(bands, item.direction, bandPath));
  }
  return issues;
}

function ratingIssues(ratings: readonly RatingThreshold[]): Issue[] {
  for (const [i, threshold] of ratings.entries()) {
    const previous = ratings[i - 1];
    const disordered =
      previous !== undefined &&
      (RATINGS.indexOf(threshold.rating) <= RATINGS.indexOf(previous.rating) ||
        threshold.minScore >= previous.minScore);
    if (disordered) return [{ path: ['ratings', i], message: 'errors.policy.ratings_order' }];
  }
  const last = ratings[ratings.length - 1];
  if (last !== undefined && last.minScore !== 0) {
    return [
      { path: ['ratings', ratings.length - 1, 'minScore'], message: 'errors.policy.ratings_order' },
    ];
  }
  return [];
}

function scorecardIssues(card: Scorecard): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  card.items.forEach((item, i) => {
    if (seen.has(item.key)) {
      issues.push({
        path: ['items', i, 'key'],
        message: 'errors.policy.duplicate_item',
        params: { item: item.key },
      });
    }
    seen.add(item.key);
  });
  const sum = card.items.reduce((total, item) => total + item.weight, 0);
  if (sum !== 100)
    issues.push({ path: ['items'], message: 'errors.policy.weights_sum', params: { sum } });
  card.items.forEach((item, i) => {
    issues.push(...itemIssues(item, i));
  });
  issues.push(...ratingIssues(card.ratings));
  return issues;
}

/** The zod schema of `config/scorecard.json`; problems carry `errors.policy.*` keys. */
export const SCORECARD_SCHEMA = z
  .strictObject({
    version: z.string().min(1),
    items: z.array(itemSchema).min(1),
    ratings: z
      .array(z.strictObject({ rating: z.enum(RATINGS), minScore: z.int().min(0).max(100) }))
      .min(1),
  })
  .superRefine((card, ctx) => {
    for (const issue of scorecardIssues(card)) {
      ctx.addIssue({
        code: 'custom',
        path: [...issue.path],
        message: issue.message,
        params: issue.params ?? {},
      });
    }
  });

/** Validates a scorecard (e.g. the parsed `config/scorecard.json`); throws a DomainError naming the field. */
export function parseScorecard(raw: unknown): Scorecard {
  return parsePolicy('scorecard', SCORECARD_SCHEMA, raw);
}

// ---------------------------------------------------------------------------------------------
// The shipped card

/**
 * The default card, also shipped as `config/scorecard.json`. Bureau score (TDB 評点 / TSR 評点
 * style, 0–100, about 50 being average) carries a quarter of the weight; our own ledger (days
 * late, share paid late) 30 %; size and age 20 %; the credit manager's judgement 15 %; our
 * trade volume and strategic importance 10 %. A non-strategic account is neutral (50 points).
 */
export const DEFAULT_SCORECARD: Scorecard = {
  version: '2026-11',
  items: [
    {
      key: 'bureau_score',
      weight: 25,
      direction: 'higher_is_better',
      missingPoints: NEUTRAL_POINTS,
      bands: [
        { label: '0–34', to: 35, points: 0 },
        { label: '35–44', from: 35, to: 45, points: 25 },
        { label: '45–49', from: 45, to: 50, points: 45 },
        { label: '50–54', from: 50, to: 55, points: 60 },
        { label: '55–59', from: 55, to: 60, points: 75 },
        { label: '60–64', from: 60, to: 65, points: 85 },
        { label: '65+', from: 65, points: 100 },
      ],
    },
    {
      key: 'years_in_business',
      weight: 10,
      direction: 'higher_is_better',
      missingPoints: NEUTRAL_POINTS,
      bands: [
        { label: '<3', to: 3, points: 10 },
        { label: '3–4', from: 3, to: 5, points: 30 },
        { label: '5–9', from: 5, to: 10, points: 50 },
        { label: '10–19', from: 10, to: 20, points: 70 },
        { label: '20–29', from: 20, to: 30, points: 85 },
        { label: '30+', from: 30, points: 100 },
      ],
    },
    {
      key: 'capital',
      weight: 10,
      direction: 'higher_is_better',
      missingPoints: NEUTRAL_POINTS,
      bandsByCurrency: {
        JPY: [
          { label: '<0', to: 0, points: 0 },
          { label: '0–10M', from: 0, to: 10_000_000, points: 20 },
          { label: '10M–50M', from: 10_000_000, to: 50_000_000, points: 45 },
          { label: '50M–100M', from: 50_000_000, to: 100_000_000, points: 60 },
          { label: '100M–300M', from: 100_000_000, to: 300_000_000, points: 75 },
          { label: '300M–1B', from: 300_000_000, to: 1_000_000_000, points: 90 },
          { label: '1B+', from: 1_000_000_000, points: 100 },
        ],
        CNY: [
          { label: '<0', to: 0, points: 0 },
          { label: '0–1M', from: 0, to: 1_000_000, points: 20 },
          { label: '1M–5M', from: 1_000_000, to: 5_000_000, points: 45 },
          { label: '5M–10M', from: 5_000_000, to: 10_000_000, points: 60 },
          { label: '10M–30M', from: 10_000_000, to: 30_000_000, points: 75 },
          { label: '30M–100M', from: 30_000_000, to: 100_000_000, points: 90 },
          { label: '100M+', from: 100_000_000, points: 100 },
        ],
        USD: [
          { label: '<0', to: 0, points: 0 },
          { label: '0–100K', from: 0, to: 100_000, points: 20 },
          { label: '100K–500K', from: 100_000, to: 500_000, points: 45 },
          { label: '500K–1M', from: 500_000, to: 1_000_000, points: 60 },
          { label: '1M–3M', from: 1_000_000, to: 3_000_000, points: 75 },
          { label: '3M–10M', from: 3_000_000, to: 10_000_000, points: 90 },
          { label: '10M+', from: 10_000_000, points: 100 },
        ],
      },
    },
    {
      key: 'avg_days_late',
      weight: 15,
      direction: 'lower_is_better',
      missingPoints: NEUTRAL_POINTS,
      bands: [
        { label: '<1', to: 1, points: 100 },
        { label: '1–4', from: 1, to: 5, points: 85 },
        { label: '5–14', from: 5, to: 15, points: 65 },
        { label: '15–29', from: 15, to: 30, points: 40 },
        { label: '30–59', from: 30, to: 60, points: 15 },
        { label: '60+', from: 60, points: 0 },
      ],
    },
    {
      key: 'late_share',
      weight: 15,
      direction: 'lower_is_better',
      missingPoints: NEUTRAL_POINTS,
      bands: [
        { label: '<5%', to: 500, points: 100 },
        { label: '5–15%', from: 500, to: 1500, points: 80 },
        { label: '15–30%', from: 1500, to: 3000, points: 55 },
        { label: '30–50%', from: 3000, to: 5000, points: 30 },
        { label: '50%+', from: 5000, points: 0 },
      ],
    },
    {
      key: 'trade_volume',
      weight: 5,
      direction: 'higher_is_better',
      missingPoints: NEUTRAL_POINTS,
      bandsByCurrency: {
        JPY: [
          { label: '<1M', to: 1_000_000, points: 30 },
          { label: '1M–10M', from: 1_000_000, to: 10_000_000, points: 45 },
          { label: '10M–50M', from: 10_000_000, to: 50_000_000, points: 60 },
          { label: '50M–200M', from: 50_000_000, to: 200_000_000, points: 75 },
          { label: '200M+', from: 200_000_000, points: 90 },
        ],
        CNY: [
          { label: '<50K', to: 50_000, points: 30 },
          { label: '50K–500K', from: 50_000, to: 500_000, points: 45 },
          { label: '500K–2.5M', from: 500_000, to: 2_500_000, points: 60 },
          { label: '2.5M–10M', from: 2_500_000, to: 10_000_000, points: 75 },
          { label: '10M+', from: 10_000_000, points: 90 },
        ],
        USD: [
          { label: '<10K', to: 10_000, points: 30 },
          { label: '10K–100K', from: 10_000, to: 100_000, points: 45 },
          { label: '100K–500K', from: 100_000, to: 500_000, points: 60 },
          { label: '500K–2M', from: 500_000, to: 2_000_000, points: 75 },
          { label: '2M+', from: 2_000_000, points: 90 },
        ],
      },
    },
    {
      key: 'strategic',
      weight: 5,
      direction: 'higher_is_better',
      missingPoints: NEUTRAL_POINTS,
      bands: [
        { label: 'no', to: 1, points: 50 },
        { label: 'yes', from: 1, points: 80 },
      ],
    },
    {
      key: 'qualitative',
      weight: 15,
      direction: 'higher_is_better',
      missingPoints: NEUTRAL_POINTS,
      bands: [
        { label: '1', to: 2, points: 0 },
        { label: '2', from: 2, to: 3, points: 25 },
        { label: '3', from: 3, to: 4, points: 50 },
        { label: '4', from: 4, to: 5, points: 75 },
        { label: '5', from: 5, points: 100 },
      ],
    },
  ],
  ratings: [
    { rating: 'A', minScore: 80 },
    { rating: 'B', minScore: 65 },
    { rating: 'C', minScore: 50 },
    { rating: 'D', minScore: 35 },
    { rating: 'E', minScore: 0 },
  ],
};

// ---------------------------------------------------------------------------------------------
// Scoring

/**
 * What we know about a customer. Money is in minor units of `currency`: `capitalMinor` is the
 * equity (純資産 / 净资产) when the caller knows it, else the paid-in capital (資本金 / 注册资本).
 * Ledger figures cover the last 12 months; `lateShareBp` is the share of invoices paid late in
 * basis points. Absent (or null) inputs score the item's `missingPoints`.
 */
export interface ScoreInputs {
  readonly currency: string;
  readonly bureauScore?: number;
  readonly yearsInBusiness?: number;
  readonly capitalMinor?: number;
  readonly avgDaysLate?: number;
  readonly lateShareBp?: number;
  readonly tradeVolumeMinor?: number;
  readonly strategic?: boolean;
  readonly qualitative?: 1 | 2 | 3 | 4 | 5;
  readonly antisocialCheck?: AntisocialCheck;
}

/**
 * How one item moved the score. `weighted` and `delta` are integers in HUNDREDTHS of a score
 * point: `weighted` = weight × points (i.e. weight × points / 100 score points, exactly), and
 * `delta` = weighted − weight × 50, how far the item pulls above (+) or below (−) neutral.
 */
export interface Contribution {
  readonly item: ScoreItemKey;
  readonly input: number | boolean | null;
  readonly bandLabel: string | null;
  readonly points: number;
  readonly weight: number;
  readonly weighted: number;
  readonly delta: number;
}

export interface Assessment {
  readonly scorecardVersion: string;
  readonly currency: string;
  readonly inputs: ScoreInputs;
  readonly score: number;
  readonly rating: Rating;
  readonly gate: { readonly antisocial: AntisocialCheck };
  readonly proposals: readonly 'watch'[];
  readonly contributions: readonly Contribution[];
}

function inputOf(inputs: ScoreInputs, key: ScoreItemKey): number | boolean | undefined {
  switch (key) {
    case 'bureau_score':
      return inputs.bureauScore;
    case 'years_in_business':
      return inputs.yearsInBusiness;
    case 'capital':
      return inputs.capitalMinor;
    case 'avg_days_late':
      return inputs.avgDaysLate;
    case 'late_share':
      return inputs.lateShareBp;
    case 'trade_volume':
      return inputs.tradeVolumeMinor;
    case 'strategic':
      return inputs.strategic;
    case 'qualitative':
      return inputs.qualitative;
  }
}

function plainBandOf(bands: readonly ScoreBand[], value: number): ScoreBand | undefined {
  return bands.find(
    (b) => (b.from === undefined || value >= b.from) && (b.to === undefined || value < b.to),
  );
}

/** Band edges are whole major units; the amount is minor units: compared exactly in BigInt. */
function moneyBandOf(
  bands: readonly ScoreBand[],
  minor: number,
  currency: string,
): ScoreBand | undefined {
  const scale = 10n ** BigInt(minorDigits(currency));
  const value = BigInt(minor);
  const edge = (major: number) => BigInt(major) * scale;
  return bands.find(
    (b) =>
      (b.from === undefined || value >= edge(b.from)) && (b.to === undefined || value < edge(b.to)),
  );
}

function bandFor(item: ScorecardItem, value: number, currency: string): ScoreBand | undefined {
  if (item.bandsByCurrency === undefined) return plainBandOf(item.bands ?? [], value);
  if (!Number.isSafeInteger(value)) {
    throw new DomainError('errors.money.not_integer', { value: String(value) });
  }
  return moneyBandOf(item.bandsByCurrency[currency] ?? [], value, currency);
}

function contribution(item: ScorecardItem, inputs: ScoreInputs): Contribution {
  const raw = inputOf(inputs, item.key) ?? null;
  let band: ScoreBand | undefined;
  if (raw !== null) {
    const value = typeof raw === 'boolean' ? Number(raw) : raw;
    if (!Number.isFinite(value)) {
      throw new DomainError('errors.scorecard.invalid_input', {
        item: item.key,
        value: String(raw),
      });
    }
    band = bandFor(item, value, inputs.currency);
  }
  const points = band?.points ?? item.missingPoints;
  const weighted = item.weight * points;
  return {
    item: item.key,
    input: raw,
    bandLabel: band?.label ?? null,
    points,
    weight: item.weight,
    weighted,
    delta: weighted - item.weight * NEUTRAL_POINTS,
  };
}

/**
 * Scores a customer. score = Σ weight × points / 100, rounded half up to a whole point (weights
 * add up to 100 and points are 0–100, so the score is an integer 0–100). The rating is the first
 * whose minimum the score reaches. A failed check for anti-social forces (反社チェック /
 * 反社会势力审查) is a gate, not a weight: whatever the points, the rating is E and a move to
 * the watch phase is proposed.
 * Currency items need bands for the customer's currency, else `errors.scorecard.currency_not_configured`.
 */
export function scoreCustomer(inputs: ScoreInputs, scorecard: Scorecard): Assessment {
  minorDigits(inputs.currency);
  for (const item of scorecard.items) {
    if (item.bandsByCurrency !== undefined && item.bandsByCurrency[inputs.currency] === undefined) {
      throw new DomainError('errors.scorecard.currency_not_configured', {
        currency: inputs.currency,
        item: item.key,
      });
    }
  }
  const contributions = scorecard.items.map((item) => contribution(item, inputs));
  const hundredths = contributions.reduce((sum, c) => sum + c.weighted, 0);
  const score = Math.floor((hundredths + 50) / 100);
  const antisocial = inputs.antisocialCheck ?? 'not_checked';
  const byScore = scorecard.ratings.find((r) => score >= r.minScore)?.rating ?? 'E';
  const failed = antisocial === 'failed';
  return {
    scorecardVersion: scorecard.version,
    currency: inputs.currency,
    inputs: { ...inputs },
    score,
    rating: failed ? 'E' : byScore,
    gate: { antisocial },
    proposals: failed ? ['watch'] : [],
    contributions,
  };
}

/**
 * The items that pulled the score most above and below neutral, for the card's "why": `up` has
 * the `n` largest positive deltas, `down` the `n` most negative, ties in scorecard order.
 */
export function topContributions(
  assessment: Assessment,
  n = 3,
): { readonly up: readonly Contribution[]; readonly down: readonly Contribution[] } {
  const all = assessment.contributions;
  const up = all.filter((c) => c.delta > 0).sort((a, b) => b.delta - a.delta);
  const down = all.filter((c) => c.delta < 0).sort((a, b) => a.delta - b.delta);
  return { up: up.slice(0, Math.max(0, n)), down: down.slice(0, Math.max(0, n)) };
}
