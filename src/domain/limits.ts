import { z } from 'zod';
import { RATINGS, type Rating } from './credit.ts';
import { DomainError } from './errors.ts';
import { isCurrencyCode, minorDigits } from './money.ts';
import { parsePolicy } from './policy.ts';

/**
 * Recommended credit limit (与信限度額 / 信用额度). Three caps, each shown on the card:
 * what the customer can carry (a share of its equity and of its sales), what our trade with it
 * needs (expected monthly sales × months outstanding), and what the rating lets us grant
 * (authority cap). The smallest of those present is the base; the bureau's probability of
 * default (PD) then scales it up or down, and the result is rounded DOWN to a round figure.
 */

/**
 * PD band: PDs below `belowPpm` (parts per million: 1 % = 10 000 ppm) get `multiplierBp`
 * (10000 = ×1.0). Bands are sorted by `belowPpm`; the last has none and holds every higher PD.
 * `attention` marks PDs a credit manager must look at (the default: 2 % and above).
 */
export interface PdBand {
  readonly belowPpm?: number;
  readonly multiplierBp: number;
  readonly attention: boolean;
}

/** Caps by rating, in whole major units of one currency (yen, yuan, dollars). */
export type AuthorityCaps = Readonly<Record<Rating, number>>;

export interface LimitPolicy {
  readonly version: string;
  /** Share of equity (or paid-in capital when equity is unknown) the customer can carry. */
  readonly equityShareBp: number;
  /** Share of annual revenue: 833 bp ≈ 1/12, about one month of the customer's sales. */
  readonly revenueShareBp: number;
  /** Months of expected sales outstanding at the peak: payment terms plus a month. */
  readonly tradeMonths: number;
  readonly pdBands: readonly PdBand[];
  readonly authorityCaps: Readonly<Record<string, AuthorityCaps>>;
  /** Recommendations are rounded down to a multiple of this, in whole major units. */
  readonly roundingUnits: Readonly<Record<string, number>>;
}

export const MAX_MULTIPLIER_BP = 20_000;

// ---------------------------------------------------------------------------------------------
// Validation

const capsSchema = z.strictObject(
  Object.fromEntries(RATINGS.map((r) => [r, z.int().min(0)])) as Record<Rating, z.ZodInt>,
);

type Issue = {
  readonly path: (string | number)[];
  readonly message: string;
  readonly params?: Record<string, string | number>;
};

function pdBandIssues(bands: readonly PdBand[]): Issue[] {
  for (const [i, band] of bands.entries()) {
    const previous = bands[i - 1];
    const last = i === bands.length - 1;
    if (last !== (band.belowPpm === undefined)) {
      return [{ path: ['pdBands', i, 'belowPpm'], message: 'errors.policy.bands_gap' }];
    }
    if (previous === undefined) continue;
    if (band.belowPpm !== undefined && band.belowPpm <= (previous.belowPpm ?? 0)) {
      return [{ path: ['pdBands', i, 'belowPpm'], message: 'errors.policy.bands_overlap' }];
    }
    if (band.multiplierBp > previous.multiplierBp) {
      return [{ path: ['pdBands', i, 'multiplierBp'], message: 'errors.policy.multiplier_order' }];
    }
    if (previous.attention && !band.attention) {
      return [{ path: ['pdBands', i, 'attention'], message: 'errors.policy.attention_order' }];
    }
  }
  return [];
}

function currencyIssues(policy: LimitPolicy): Issue[] {
  const issues: Issue[] = [];
  const caps = Object.keys(policy.authorityCaps);
  const units = Object.keys(policy.roundingUnits);
  for (const [field, codes] of [
    ['authorityCaps', caps],
    ['roundingUnits', units],
  ] as const) {
    for (const currency of codes) {
      if (!isCurrencyCode(currency)) {
        issues.push({
          path: [field, currency],
          message: 'errors.policy.unknown_currency',
          params: { currency },
        });
      }
    }
  }
  if (issues.length > 0) return issues;
  for (const currency of caps) {
    if (!units.includes(currency)) {
      issues.push({
        path: ['roundingUnits', currency],
        message: 'errors.policy.currency_missing',
        params: { currency },
      });
    }
  }
  for (const [currency, byRating] of Object.entries(policy.authorityCaps)) {
    const scale = 10 ** minorDigits(currency);
    RATINGS.forEach((rating, i) => {
      const cap = byRating[rating];
      const better = i === 0 ? undefined : byRating[RATINGS[i - 1] ?? rating];
      if (!Number.isSafeInteger(cap * scale)) {
        issues.push({
          path: ['authorityCaps', currency, rating],
          message: 'errors.policy.invalid',
        });
      } else if (better !== undefined && cap > better) {
        issues.push({
          path: ['authorityCaps', currency, rating],
          message: 'errors.policy.caps_order',
        });
      }
    });
  }
  for (const [currency, unit] of Object.entries(policy.roundingUnits)) {
    if (!Number.isSafeInteger(unit * 10 ** minorDigits(currency))) {
      issues.push({ path: ['roundingUnits', currency], message: 'errors.policy.invalid' });
    }
  }
  return issues;
}

/** The zod schema of `config/limits.json`; problems carry `errors.policy.*` keys. */
export const LIMIT_POLICY_SCHEMA = z
  .strictObject({
    version: z.string().min(1),
    equityShareBp: z.int().min(0).max(10_000),
    revenueShareBp: z.int().min(0).max(10_000),
    tradeMonths: z.int().min(1).max(24),
    pdBands: z
      .array(
        z.strictObject({
          belowPpm: z.int().min(1).max(1_000_000).optional(),
          multiplierBp: z.int().min(1).max(MAX_MULTIPLIER_BP),
          attention: z.boolean().default(false),
        }),
      )
      .min(1),
    authorityCaps: z.record(z.string(), capsSchema),
    roundingUnits: z.record(z.string(), z.int().min(1)),
  })
  .superRefine((policy, ctx) => {
    for (const issue of [...pdBandIssues(policy.pdBands), ...currencyIssues(policy)]) {
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message: issue.message,
        params: issue.params ?? {},
      });
    }
  });

/** Validates a limit policy (e.g. the parsed `config/limits.json`); throws a DomainError naming the field. */
export function parseLimitPolicy(raw: unknown): LimitPolicy {
  return parsePolicy('limits', LIMIT_POLICY_SCHEMA, raw);
}

/**
 * The default policy, also shipped as `config/limits.json`: 10 % of equity, 1/12 of revenue,
 * three months of trade (terms of month-end + 60 days is common in Japan), authority caps from
 * ¥100M / CN¥5M / US$1M for A down to nothing for E, and PD multipliers around the ~1 % average.
 */
export const DEFAULT_LIMIT_POLICY: LimitPolicy = {
  version: '2026-11',
  equityShareBp: 1_000,
  revenueShareBp: 833,
  tradeMonths: 3,
  pdBands: [
    { belowPpm: 2_500, multiplierBp: 12_000, attention: false },
    { belowPpm: 5_000, multiplierBp: 11_000, attention: false },
    { belowPpm: 10_000, multiplierBp: 10_000, attention: false },
    { belowPpm: 15_000, multiplierBp: 9_000, attention: false },
    { belowPpm: 20_000, multiplierBp: 7_000, attention: false },
    { multiplierBp: 5_000, attention: true },
  ],
  authorityCaps: {
    JPY: { A: 100_000_000, B: 50_000_000, C: 20_000_000, D: 5_000_000, E: 0 },
    CNY: { A: 5_000_000, B: 2_500_000, C: 1_000_000, D: 250_000, E: 0 },
    USD: { A: 1_000_000, B: 500_000, C: 200_000, D: 50_000, E: 0 },
  },
  roundingUnits: { JPY: 100_000, CNY: 10_000, USD: 1_000 },
};

// ---------------------------------------------------------------------------------------------
// Recommendation

/**
 * A bureau PD (0–1 as reported, e.g. 0.012 for 1.2 %) as integer parts per million, rounded to
 * the nearest ppm so that 0.01 is exactly 10 000 and band edges are compared without floats.
 */
export function pdToPpm(pd: number): number {
  if (!Number.isFinite(pd) || pd < 0 || pd > 1) {
    throw new DomainError('errors.limits.invalid_pd', { value: String(pd) });
  }
  return Math.round(pd * 1_000_000);
}

/** The PD band a PD in ppm falls in: the first with `pdPpm < belowPpm`, else the last. */
export function pdBandFor(pdPpm: number, bands: readonly PdBand[]): PdBand {
  const band = bands.find((b) => b.belowPpm === undefined || pdPpm < b.belowPpm) ?? bands.at(-1);
  if (band === undefined)
    throw new DomainError('errors.policy.invalid', { policy: 'limits', field: 'pdBands' });
  return band;
}

export interface LimitInput {
  readonly currency: string;
  readonly rating: Rating;
  readonly pd?: number;
  readonly equityMinor?: number;
  readonly capitalMinor?: number;
  readonly annualRevenueMinor?: number;
  /** Expected monthly sales to this customer. */
  readonly monthlyTradeMinor?: number;
}

/** Every step of the calculation, in minor units except `multiplierBp`, for the card to print. */
export interface LimitComponents {
  readonly equityCap?: number;
  readonly revenueCap?: number;
  readonly capacity?: number;
  readonly tradeCap?: number;
  readonly authorityCap: number;
  readonly base: number;
  readonly multiplierBp: number;
  readonly multiplied: number;
  readonly rounded: number;
}

/** Flags are i18n keys under `limits.flag.*`. */
export type LimitFlag =
  | 'no_pd'
  | 'no_financials'
  | 'no_trade_estimate'
  | 'negative_equity'
  | 'pd_above_threshold';

export interface LimitRecommendation {
  readonly currency: string;
  readonly pdPpm?: number;
  readonly components: LimitComponents;
  readonly recommendedMinor: number;
  readonly attention: boolean;
  readonly flags: readonly LimitFlag[];
}

function amount(value: number | undefined): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isSafeInteger(value)) {
    throw new DomainError('errors.money.not_integer', { value: String(value) });
  }
  return BigInt(value);
}

/** value × bp / 10000, rounded down (a limit is never rounded up). */
function shareDown(value: bigint, bp: number): bigint {
  return (value * BigInt(bp)) / 10_000n;
}

/** The smallest of BigInt amounts (Math.min does not take BigInt). */
function min(values: readonly bigint[]): bigint {
  let smallest = values[0] ?? 0n;
  for (const value of values) if (value < smallest) smallest = value;
  return smallest;
}

/**
 * Recommends a limit. capacity = min(equity × equityShareBp, revenue × revenueShareBp) over the
 * figures present (equity, else paid-in capital; negative equity, 債務超過, counts as 0);
 * tradeCap = monthly trade × tradeMonths; authorityCap = the rating's cap. base = min of the
 * components present; recommended = base × multiplier / 10000 rounded DOWN to the currency's
 * rounding unit. Every share is rounded down too: limits err on the conservative side. Without a
 * PD the multiplier is ×1.0 and the flag `no_pd` says so. The multiplier applies to the base as a
 * whole, so a low PD may lift a recommendation above the rating's authority cap (max ×2.0).
 */
export function recommendLimit(input: LimitInput, policy: LimitPolicy): LimitRecommendation {
  const scale = 10n ** BigInt(minorDigits(input.currency));
  const caps = policy.authorityCaps[input.currency];
  const unit = policy.roundingUnits[input.currency];
  if (caps === undefined || unit === undefined) {
    throw new DomainError('errors.limits.currency_not_configured', { currency: input.currency });
  }
  const flags: LimitFlag[] = [];
  const equity = amount(input.equityMinor) ?? amount(input.capitalMinor);
  const revenue = amount(input.annualRevenueMinor);
  const trade = amount(input.monthlyTradeMinor);
  const zero = (v: bigint) => (v < 0n ? 0n : v);

  const equityCap =
    equity === undefined ? undefined : shareDown(zero(equity), policy.equityShareBp);
  if (equity !== undefined && equity < 0n) flags.push('negative_equity');
  const revenueCap =
    revenue === undefined ? undefined : shareDown(zero(revenue), policy.revenueShareBp);
  const financial = [equityCap, revenueCap].filter((v) => v !== undefined);
  const capacity = financial.length > 0 ? min(financial) : undefined;
  if (capacity === undefined) flags.push('no_financials');
  const tradeCap = trade === undefined ? undefined : zero(trade) * BigInt(policy.tradeMonths);
  if (tradeCap === undefined) flags.push('no_trade_estimate');
  const authorityCap = BigInt(caps[input.rating]) * scale;
  const base = min([capacity, tradeCap, authorityCap].filter((v) => v !== undefined));

  const pdPpm = input.pd === undefined || input.pd === null ? undefined : pdToPpm(input.pd);
  const band = pdPpm === undefined ? undefined : pdBandFor(pdPpm, policy.pdBands);
  if (pdPpm === undefined) flags.push('no_pd');
  const attention = band?.attention ?? false;
  if (attention) flags.push('pd_above_threshold');
  const multiplierBp = band?.multiplierBp ?? 10_000;
  const multiplied = shareDown(base, multiplierBp);
  const unitMinor = BigInt(unit) * scale;
  const rounded = (multiplied / unitMinor) * unitMinor;

  const components: LimitComponents = {
    ...(equityCap === undefined ? {} : { equityCap: Number(equityCap) }),
    ...(revenueCap === undefined ? {} : { revenueCap: Number(revenueCap) }),
    ...(capacity === undefined ? {} : { capacity: Number(capacity) }),
    ...(tradeCap === undefined ? {} : { tradeCap: Number(tradeCap) }),
    authorityCap: Number(authorityCap),
    base: Number(base),
    multiplierBp,
    multiplied: Number(multiplied),
    rounded: Number(rounded),
  };
  return {
    currency: input.currency,
    ...(pdPpm === undefined ? {} : { pdPpm }),
    components,
    recommendedMinor: Number(rounded),
    attention,
    flags,
  };
}

// ---------------------------------------------------------------------------------------------
// Exposure and utilisation

/**
 * Exposure (与信残高 / 信用敞口) = open receivables + open orders: an order accepted but not yet
 * invoiced already commits the limit, because we will ship against it.
 */
export function exposure(openReceivablesMinor: number, openOrdersMinor: number): number {
  const total = (amount(openReceivablesMinor) ?? 0n) + (amount(openOrdersMinor) ?? 0n);
  if (!Number.isSafeInteger(Number(total))) {
    throw new DomainError('errors.money.not_integer', { value: String(total) });
  }
  return Number(total);
}

/**
 * Exposure as a share of the limit in integer basis points, rounded half up (10000 = 100 %).
 * A credit balance (exposure ≤ 0) uses none of the limit: 0, also when the limit is 0 (0/0 → 0).
 * Exposure above a limit of 0 gives `undefined`, meaning "no limit granted": the customer is
 * trading on credit nobody approved, which the status must treat as over the limit.
 */
export function utilisationBp(exposureMinor: number, limitMinor: number): number | undefined {
  const e = amount(exposureMinor) ?? 0n;
  const limit = amount(limitMinor) ?? 0n;
  if (limit < 0n)
    throw new DomainError('errors.limits.negative_limit', { value: String(limitMinor) });
  if (e <= 0n) return 0;
  if (limit === 0n) return undefined;
  return Number((e * 20_000n + limit) / (2n * limit));
}
