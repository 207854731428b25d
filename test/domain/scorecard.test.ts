import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DomainError, isDomainError } from '../../src/domain/errors.ts';
import {
  DEFAULT_SCORECARD,
  parseScorecard,
  type Scorecard,
  type ScoreInputs,
  type ScoreItemKey,
  scoreCustomer,
  topContributions,
} from '../../src/domain/scorecard.ts';

type DeepMutable<T> = { -readonly [K in keyof T]: DeepMutable<T[K]> };
type MutableCard = DeepMutable<Scorecard>;

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing test fixture');
  return value;
}

function failure(change: (card: MutableCard) => void): DomainError {
  const card = structuredClone(DEFAULT_SCORECARD) as MutableCard;
  change(card);
  try {
    parseScorecard(card);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const card = DEFAULT_SCORECARD;

/** Long-standing, well-rated, pays on time: should be an A. */
const strong: ScoreInputs = {
  currency: 'JPY',
  bureauScore: 68, // 65+ → 100 points × 25 = 25.00
  yearsInBusiness: 45, // 30+ → 100 × 10 = 10.00
  capitalMinor: 500_000_000, // ¥500M, 300M–1B → 90 × 10 = 9.00
  avgDaysLate: 0, // <1 → 100 × 15 = 15.00
  lateShareBp: 200, // 2 %, <5 % → 100 × 15 = 15.00
  tradeVolumeMinor: 60_000_000, // ¥60M, 50M–200M → 75 × 5 = 3.75
  strategic: true, // yes → 80 × 5 = 4.00
  qualitative: 4, // 4 → 75 × 15 = 11.25
  antisocialCheck: 'passed',
};

/** Young, small, pays three weeks late on average: a D. */
const weak: ScoreInputs = {
  currency: 'JPY',
  bureauScore: 47, // 45–49 → 45 × 25 = 11.25
  yearsInBusiness: 4, // 3–4 → 30 × 10 = 3.00
  capitalMinor: 5_000_000, // ¥5M → 20 × 10 = 2.00
  avgDaysLate: 20, // 15–29 → 40 × 15 = 6.00
  lateShareBp: 3500, // 35 %, 30–50 % → 30 × 15 = 4.50
  tradeVolumeMinor: 3_000_000, // ¥3M, 1M–10M → 45 × 5 = 2.25
  strategic: false, // no → 50 × 5 = 2.50
  qualitative: 2, // 2 → 25 × 15 = 3.75
};

describe('the shipped scorecard', () => {
  it('config/scorecard.json parses and matches the built-in default', () => {
    const raw: unknown = JSON.parse(
      readFileSync(new URL('../../config/scorecard.json', import.meta.url), 'utf8'),
    );
    expect(parseScorecard(raw)).toEqual(DEFAULT_SCORECARD);
  });

  it('has weights adding up to 100', () => {
    expect(card.items.reduce((sum, item) => sum + item.weight, 0)).toBe(100);
  });
});

describe(scoreCustomer.name, () => {
  it('rates a strong customer A: 25 + 10 + 9 + 15 + 15 + 3.75 + 4 + 11.25 = 93', () => {
    const assessment = scoreCustomer(strong, card);
    expect(assessment.score).toBe(93);
    expect(assessment.rating).toBe('A');
    expect(assessment.scorecardVersion).toBe('2026-11');
    expect(assessment.proposals).toEqual([]);
    expect(assessment.gate).toEqual({ antisocial: 'passed' });
    expect(assessment.contributions.find((c) => c.item === 'capital')).toEqual({
      item: 'capital',
      input: 500_000_000,
      bandLabel: '300M–1B',
      points: 90,
      weight: 10,
      weighted: 900,
      delta: 400,
    });
  });

  it('rates a weak customer D: 11.25 + 3 + 2 + 6 + 4.5 + 2.25 + 2.5 + 3.75 = 35.25 → 35', () => {
    const assessment = scoreCustomer(weak, card);
    expect(assessment.score).toBe(35);
    expect(assessment.rating).toBe('D');
    expect(assessment.gate).toEqual({ antisocial: 'not_checked' });
    expect(assessment.contributions.map((c) => c.points)).toEqual([45, 30, 20, 40, 30, 45, 50, 25]);
  });

  it('rounds half a point up: 34.50 becomes 35 and the rating D, not E', () => {
    // ¥500k of trade is in the lowest band: 30 × 5 = 1.50 instead of 2.25.
    const assessment = scoreCustomer({ ...weak, tradeVolumeMinor: 500_000 }, card);
    expect(assessment.contributions.reduce((sum, c) => sum + c.weighted, 0)).toBe(3450);
    expect(assessment.score).toBe(35);
    expect(assessment.rating).toBe('D');
  });

  it('scores missing inputs at the neutral 50 points, so nothing known gives exactly 50 and C', () => {
    const assessment = scoreCustomer({ currency: 'CNY' }, card);
    expect(assessment.score).toBe(50);
    expect(assessment.rating).toBe('C');
    for (const c of assessment.contributions) {
      expect(c).toMatchObject({ input: null, bandLabel: null, points: 50, delta: 0 });
    }
    const partial = scoreCustomer({ ...weak, bureauScore: undefined }, card);
    expect(partial.contributions[0]).toMatchObject({
      item: 'bureau_score',
      input: null,
      points: 50,
    });
    expect(partial.score).toBe(37); // 35.25 − 11.25 + 12.50 = 36.50, rounded half up
  });

  it('makes a failed anti-social check rating E with a watch proposal, whatever the points', () => {
    const assessment = scoreCustomer({ ...strong, antisocialCheck: 'failed' }, card);
    expect(assessment.score).toBe(93);
    expect(assessment.rating).toBe('E');
    expect(assessment.gate).toEqual({ antisocial: 'failed' });
    expect(assessment.proposals).toEqual(['watch']);
  });

  it('compares money bands exactly in minor units: US$1,000,000.00 is in 1M–3M, one cent less is not', () => {
    const usd = (capitalMinor: number) =>
      scoreCustomer({ currency: 'USD', capitalMinor }, card).contributions.find(
        (c) => c.item === 'capital',
      );
    expect(usd(100_000_000)).toMatchObject({ bandLabel: '1M–3M', points: 75 });
    expect(usd(99_999_999)).toMatchObject({ bandLabel: '500K–1M', points: 60 });
    expect(usd(-1)).toMatchObject({ bandLabel: '<0', points: 0 });
  });

  it('uses yuan bands for a Chinese customer', () => {
    // CN¥1,000,000.00 is 100,000,000 fen.
    const cny = scoreCustomer({ currency: 'CNY', capitalMinor: 100_000_000 }, card);
    expect(cny.contributions.find((c) => c.item === 'capital')).toMatchObject({
      bandLabel: '1M–5M',
      points: 45,
    });
  });

  it('refuses a currency the card has no money bands for', () => {
    expect(() => scoreCustomer({ currency: 'EUR' }, card)).toThrowError(
      expect.objectContaining({
        code: 'errors.scorecard.currency_not_configured',
        params: { currency: 'EUR', item: 'capital' },
      }),
    );
  });

  it('refuses inputs that are not numbers', () => {
    expect(() => scoreCustomer({ currency: 'JPY', avgDaysLate: Number.NaN }, card)).toThrowError(
      expect.objectContaining({ code: 'errors.scorecard.invalid_input' }),
    );
    expect(() => scoreCustomer({ currency: 'JPY', capitalMinor: 1.5 }, card)).toThrowError(
      expect.objectContaining({ code: 'errors.money.not_integer' }),
    );
  });

  it('is JSON-serialisable and deterministic', () => {
    const assessment = scoreCustomer(strong, card);
    expect(JSON.parse(JSON.stringify(assessment))).toEqual(assessment);
    expect(scoreCustomer(strong, card)).toEqual(assessment);
  });
});

describe(topContributions.name, () => {
  it('explains an A by what pulls it up most', () => {
    const why = topContributions(scoreCustomer(strong, card));
    expect(why.up.map((c) => [c.item, c.delta])).toEqual([
      ['bureau_score', 1250],
      ['avg_days_late', 750],
      ['late_share', 750],
    ]);
    expect(why.down).toEqual([]);
  });

  it('explains a D by what pulls it down most, ties in scorecard order', () => {
    const why = topContributions(scoreCustomer(weak, card), 3);
    expect(why.down.map((c) => [c.item, c.delta])).toEqual([
      ['qualitative', -375],
      ['capital', -300],
      ['late_share', -300],
    ]);
    expect(why.up).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const currency = fc.constantFrom('JPY', 'CNY', 'USD');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const real = fc.double({ min: -1e9, max: 1e9, noNaN: true });
const minor = fc.integer({ min: -1e13, max: 1e13 });

const inputs: fc.Arbitrary<ScoreInputs> = fc.record({
  currency,
  bureauScore: maybe(fc.oneof(fc.integer({ min: 0, max: 100 }), real)),
  yearsInBusiness: maybe(fc.oneof(fc.integer({ min: 0, max: 200 }), real)),
  capitalMinor: maybe(minor),
  avgDaysLate: maybe(fc.oneof(fc.integer({ min: 0, max: 365 }), real)),
  lateShareBp: maybe(fc.integer({ min: 0, max: 10_000 })),
  tradeVolumeMinor: maybe(minor),
  strategic: maybe(fc.boolean()),
  qualitative: maybe(fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, 5 as const)),
  antisocialCheck: maybe(
    fc.constantFrom('passed' as const, 'failed' as const, 'not_checked' as const),
  ),
});

const QUALITATIVE = [1, 2, 3, 4, 5] as const;

/** Sets one item's input; `rank` orders values from worst (low) to best (high) for that item. */
function withRank(base: ScoreInputs, item: ScoreItemKey, rank: number): ScoreInputs {
  switch (item) {
    case 'bureau_score':
      return { ...base, bureauScore: rank };
    case 'years_in_business':
      return { ...base, yearsInBusiness: rank };
    case 'capital':
      return { ...base, capitalMinor: Math.round(rank) };
    case 'avg_days_late':
      return { ...base, avgDaysLate: -rank };
    case 'late_share':
      return { ...base, lateShareBp: -Math.round(rank) };
    case 'trade_volume':
      return { ...base, tradeVolumeMinor: Math.round(rank) };
    case 'strategic':
      return { ...base, strategic: rank > 0 };
    case 'qualitative':
      return {
        ...base,
        qualitative: must(QUALITATIVE[Math.min(4, Math.max(0, Math.round(rank)))]),
      };
  }
}

describe('scorecard properties', () => {
  it('always gives an integer score 0–100 and a rating', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const { score, rating } = scoreCustomer(input, card);
        expect(Number.isInteger(score)).toBe(true);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
        expect(['A', 'B', 'C', 'D', 'E']).toContain(rating);
      }),
    );
  });

  it('never lowers the score when one input improves', () => {
    const items = fc.constantFrom(...card.items.map((i) => i.key));
    const rank = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.integer({ min: -1e12, max: 1e12 }),
      real,
    );
    fc.assert(
      fc.property(inputs, items, rank, rank, (base, item, a, b) => {
        const [worse, better] = a <= b ? [a, b] : [b, a];
        const low = scoreCustomer(withRank(base, item, worse), card).score;
        const high = scoreCustomer(withRank(base, item, better), card).score;
        expect(high).toBeGreaterThanOrEqual(low);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Bad configurations

describe(parseScorecard.name, () => {
  const bureauBands = (c: MutableCard) => must(must(c.items[0]).bands);

  it('refuses weights that add up to 95, naming the sum', () => {
    const error = failure((c) => {
      must(c.items[0]).weight = 20;
    });
    expect(error.code).toBe('errors.policy.weights_sum');
    expect(error.params).toEqual({ policy: 'scorecard', field: 'items', sum: 95 });
  });

  it('refuses overlapping bands', () => {
    const error = failure((c) => {
      must(bureauBands(c)[1]).from = 30;
    });
    expect(error.code).toBe('errors.policy.bands_overlap');
    expect(error.params.field).toBe('items.0.bands.1.from');
  });

  it('refuses unsorted bands', () => {
    const error = failure((c) => {
      const bands = bureauBands(c);
      [bands[1], bands[2]] = [must(bands[2]), must(bands[1])];
    });
    expect(error.code).toBe('errors.policy.bands_overlap');
  });

  it('refuses gaps: a value with no band would have no points', () => {
    expect(
      failure((c) => {
        must(bureauBands(c)[1]).from = 36;
      }).code,
    ).toBe('errors.policy.bands_gap');
    const closedTop = failure((c) => {
      must(bureauBands(c)[6]).to = 101;
    });
    expect(closedTop.code).toBe('errors.policy.bands_gap');
    expect(closedTop.params.field).toBe('items.0.bands.6.to');
  });

  it("refuses the unknown currency 'XXX'", () => {
    const error = failure((c) => {
      const byCurrency = must(must(c.items[2]).bandsByCurrency);
      byCurrency.XXX = must(byCurrency.JPY);
    });
    expect(error.code).toBe('errors.policy.unknown_currency');
    expect(error.params).toMatchObject({ field: 'items.2.bandsByCurrency.XXX', currency: 'XXX' });
  });

  it('refuses 120 points', () => {
    const error = failure((c) => {
      must(bureauBands(c)[6]).points = 120;
    });
    expect(error.code).toBe('errors.policy.invalid');
    expect(error.params.field).toBe('items.0.bands.6.points');
  });

  it('refuses points that fall as the input improves', () => {
    const error = failure((c) => {
      must(bureauBands(c)[3]).points = 10;
    });
    expect(error.code).toBe('errors.policy.points_not_monotone');
    expect(error.params).toMatchObject({
      field: 'items.0.bands.3.points',
      direction: 'higher_is_better',
    });
  });

  it('refuses ratings out of order or not ending at 0', () => {
    expect(
      failure((c) => {
        must(c.ratings[1]).minScore = 85;
      }).code,
    ).toBe('errors.policy.ratings_order');
    const error = failure((c) => {
      must(c.ratings[4]).minScore = 10;
    });
    expect(error.code).toBe('errors.policy.ratings_order');
    expect(error.params.field).toBe('ratings.4.minScore');
  });

  it('refuses the same item twice and plain bands on a money item', () => {
    expect(
      failure((c) => {
        must(c.items[1]).key = 'bureau_score';
      }).code,
    ).toBe('errors.policy.duplicate_item');
    const error = failure((c) => {
      const capital = must(c.items[2]);
      capital.bands = [{ points: 50 }];
      delete capital.bandsByCurrency;
    });
    expect(error.code).toBe('errors.policy.invalid');
    expect(error.params.field).toBe('items.2.bandsByCurrency');
  });

  it('fills in the neutral 50 when missingPoints is left out', () => {
    const card = structuredClone(DEFAULT_SCORECARD) as MutableCard;
    const first = must(card.items[0]) as Partial<MutableCard['items'][number]>;
    delete first.missingPoints;
    expect(must(parseScorecard(card).items[0]).missingPoints).toBe(50);
  });
});
