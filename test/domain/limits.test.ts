import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RATINGS } from '../../src/domain/credit.ts';
import { type DomainError, isDomainError } from '../../src/domain/errors.ts';
import {
  DEFAULT_LIMIT_POLICY,
  exposure,
  type LimitInput,
  type LimitPolicy,
  parseLimitPolicy,
  pdToPpm,
  recommendLimit,
  utilisationBp,
} from '../../src/domain/limits.ts';

type DeepMutable<T> = { -readonly [K in keyof T]: DeepMutable<T[K]> };
type MutablePolicy = DeepMutable<LimitPolicy>;

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing test fixture');
  return value;
}

function failure(change: (policy: MutablePolicy) => void): DomainError {
  const policy = structuredClone(DEFAULT_LIMIT_POLICY) as MutablePolicy;
  change(policy);
  try {
    parseLimitPolicy(policy);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const policy = DEFAULT_LIMIT_POLICY;

describe('the shipped limit policy', () => {
  it('config/limits.json parses and matches the built-in default', () => {
    const raw: unknown = JSON.parse(
      readFileSync(new URL('../../config/limits.json', import.meta.url), 'utf8'),
    );
    expect(parseLimitPolicy(raw)).toEqual(DEFAULT_LIMIT_POLICY);
  });
});

describe(recommendLimit.name, () => {
  it('works a yen example by hand: min of the caps × PD multiplier, rounded down to ¥100,000', () => {
    const result = recommendLimit(
      {
        currency: 'JPY',
        rating: 'B',
        pd: 0.003, // 0.3 %: below 0.5 % → ×1.1
        equityMinor: 187_654_321, // 10 % = ¥18,765,432 (¥0.1 dropped)
        capitalMinor: 10_000_000, // ignored: equity is known
        annualRevenueMinor: 1_200_000_000, // 8.33 % = ¥99,960,000
        monthlyTradeMinor: 8_000_000, // × 3 months = ¥24,000,000
      },
      policy,
    );
    expect(result).toEqual({
      currency: 'JPY',
      pdPpm: 3_000,
      components: {
        equityCap: 18_765_432,
        revenueCap: 99_960_000,
        capacity: 18_765_432,
        tradeCap: 24_000_000,
        authorityCap: 50_000_000, // rating B
        base: 18_765_432,
        multiplierBp: 11_000,
        multiplied: 20_641_975, // 20,641,975.2 rounded down
        rounded: 20_600_000,
      },
      recommendedMinor: 20_600_000,
      attention: false,
      flags: [],
    });
  });

  it('works a dollar example in cents, from paid-in capital and without a PD', () => {
    const input: LimitInput = {
      currency: 'USD',
      rating: 'C',
      capitalMinor: 25_000_000, // US$250,000.00 → 10 % = US$25,000.00
      monthlyTradeMinor: 1_234_567, // US$12,345.67 × 3 = US$37,037.01
    };
    const result = recommendLimit(input, policy);
    expect(result.components).toEqual({
      equityCap: 2_500_000,
      capacity: 2_500_000,
      tradeCap: 3_703_701,
      authorityCap: 20_000_000, // US$200,000 for C
      base: 2_500_000,
      multiplierBp: 10_000,
      multiplied: 2_500_000,
      rounded: 2_500_000,
    });
    expect(result.flags).toEqual(['no_pd']);
    // At a PD of 1.5 %: × 0.7 = US$17,500.00, rounded down to US$17,000.
    expect(recommendLimit({ ...input, pd: 0.015 }, policy).recommendedMinor).toBe(1_700_000);
  });

  it('falls back to trade and authority when there are no financials', () => {
    const result = recommendLimit(
      { currency: 'CNY', rating: 'A', pd: 0.004, monthlyTradeMinor: 12_345_678 },
      policy,
    );
    // CN¥123,456.78 × 3 = CN¥370,370.34 × 1.1 = CN¥407,407.374 → CN¥400,000
    expect(result.components.capacity).toBeUndefined();
    expect(result.components.base).toBe(37_037_034);
    expect(result.recommendedMinor).toBe(40_000_000);
    expect(result.flags).toEqual(['no_financials']);
  });

  it('grants nothing to an E and nothing against negative equity (債務超過)', () => {
    const e = recommendLimit({ currency: 'JPY', rating: 'E', pd: 0.001 }, policy);
    expect(e.components.authorityCap).toBe(0);
    expect(e.recommendedMinor).toBe(0);
    expect(e.flags).toEqual(['no_financials', 'no_trade_estimate']);
    const insolvent = recommendLimit(
      {
        currency: 'JPY',
        rating: 'B',
        pd: 0.001,
        equityMinor: -30_000_000,
        monthlyTradeMinor: 1_000_000,
      },
      policy,
    );
    expect(insolvent.components.capacity).toBe(0);
    expect(insolvent.recommendedMinor).toBe(0);
    expect(insolvent.flags).toContain('negative_equity');
  });

  describe('PD bands, compared in parts per million', () => {
    const at = (pd: number) =>
      recommendLimit({ currency: 'JPY', rating: 'A', pd, monthlyTradeMinor: 10_000_000 }, policy);

    it('puts exactly 1 % in the next band (×0.9), just below it at ×1.0', () => {
      expect(pdToPpm(0.01)).toBe(10_000);
      expect(at(0.01).components.multiplierBp).toBe(9_000);
      expect(at(0.00999).components.multiplierBp).toBe(10_000);
    });

    it('flags exactly 2 % and above for attention at ×0.5', () => {
      expect(at(0.02)).toMatchObject({
        attention: true,
        flags: ['no_financials', 'pd_above_threshold'],
        components: { multiplierBp: 5_000, base: 30_000_000, rounded: 15_000_000 },
      });
      expect(at(0.0199)).toMatchObject({ attention: false, components: { multiplierBp: 7_000 } });
    });

    it('has no float surprises: 1.45 % (0.0145 × 10⁶ = 14499.999…) is 14,500 ppm', () => {
      expect(pdToPpm(0.0145)).toBe(14_500);
      expect(pdToPpm(0.035)).toBe(35_000);
    });

    it('refuses a PD outside 0–1', () => {
      expect(() => at(1.2)).toThrowError(
        expect.objectContaining({ code: 'errors.limits.invalid_pd' }),
      );
      expect(() => at(-0.01)).toThrowError(
        expect.objectContaining({ code: 'errors.limits.invalid_pd' }),
      );
    });
  });

  it('refuses a currency the policy has no caps for', () => {
    expect(() => recommendLimit({ currency: 'EUR', rating: 'A' }, policy)).toThrowError(
      expect.objectContaining({
        code: 'errors.limits.currency_not_configured',
        params: { currency: 'EUR' },
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const amount = fc.integer({ min: -1e11, max: 1e13 });
const limitInput: fc.Arbitrary<LimitInput> = fc.record({
  currency: fc.constantFrom('JPY', 'CNY', 'USD'),
  rating: fc.constantFrom(...RATINGS),
  pd: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
  equityMinor: maybe(amount),
  capitalMinor: maybe(amount),
  annualRevenueMinor: maybe(amount),
  monthlyTradeMinor: maybe(amount),
});
const maxMultiplier = Math.max(...policy.pdBands.map((b) => b.multiplierBp));

describe('limit properties', () => {
  it('never recommends more than any present component × the largest multiplier, nor below 0', () => {
    fc.assert(
      fc.property(limitInput, (input) => {
        const { components, recommendedMinor, currency } = recommendLimit(input, policy);
        expect(recommendedMinor).toBeGreaterThanOrEqual(0);
        expect(Number.isSafeInteger(recommendedMinor)).toBe(true);
        const present = [components.capacity, components.tradeCap, components.authorityCap];
        for (const component of present) {
          if (component === undefined) continue;
          expect(BigInt(recommendedMinor) * 10_000n).toBeLessThanOrEqual(
            BigInt(component) * BigInt(maxMultiplier),
          );
        }
        const unit = must(policy.roundingUnits[currency]) * (currency === 'JPY' ? 1 : 100);
        expect(recommendedMinor % unit).toBe(0);
      }),
    );
  });

  it('never recommends more for a higher PD', () => {
    const pd = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(limitInput, pd, pd, (input, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const safer = recommendLimit({ ...input, pd: low }, policy).recommendedMinor;
        const riskier = recommendLimit({ ...input, pd: high }, policy).recommendedMinor;
        expect(riskier).toBeLessThanOrEqual(safer);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Exposure and utilisation

describe(exposure.name, () => {
  it('adds open orders to open receivables', () => {
    expect(exposure(7_000_000, 1_500_000)).toBe(8_500_000);
    expect(() => exposure(1.5, 0)).toThrowError(
      expect.objectContaining({ code: 'errors.money.not_integer' }),
    );
  });
});

describe(utilisationBp.name, () => {
  it('gives basis points, rounded half up', () => {
    expect(utilisationBp(8_000_000, 10_000_000)).toBe(8_000);
    expect(utilisationBp(1, 3)).toBe(3_333); // 3333.3
    expect(utilisationBp(2, 3)).toBe(6_667); // 6666.7
    expect(utilisationBp(1, 20_000)).toBe(1); // 0.5 → 1
    expect(utilisationBp(12_000_000, 10_000_000)).toBe(12_000);
  });

  it('is 0 for nothing owed or a credit balance, and undefined for exposure without any limit', () => {
    expect(utilisationBp(0, 0)).toBe(0);
    expect(utilisationBp(-50_000, 1_000_000)).toBe(0);
    expect(utilisationBp(1, 0)).toBeUndefined();
  });

  it('refuses a negative limit', () => {
    expect(() => utilisationBp(1, -1)).toThrowError(
      expect.objectContaining({ code: 'errors.limits.negative_limit' }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Bad configurations

describe(parseLimitPolicy.name, () => {
  it('refuses a negative authority cap, naming the field', () => {
    const error = failure((p) => {
      must(p.authorityCaps.JPY).C = -1;
    });
    expect(error.code).toBe('errors.policy.invalid');
    expect(error.params).toEqual({ policy: 'limits', field: 'authorityCaps.JPY.C' });
  });

  it('refuses a worse rating with a higher cap', () => {
    const error = failure((p) => {
      must(p.authorityCaps.USD).D = 300_000;
    });
    expect(error.code).toBe('errors.policy.caps_order');
    expect(error.params.field).toBe('authorityCaps.USD.D');
  });

  it('refuses multipliers that rise with the PD, and multipliers outside 0–×2', () => {
    const rising = failure((p) => {
      must(p.pdBands[3]).multiplierBp = 10_500;
    });
    expect(rising.code).toBe('errors.policy.multiplier_order');
    expect(rising.params.field).toBe('pdBands.3.multiplierBp');
    expect(
      failure((p) => {
        must(p.pdBands[0]).multiplierBp = 25_000;
      }).params.field,
    ).toBe('pdBands.0.multiplierBp');
    expect(
      failure((p) => {
        must(p.pdBands[5]).multiplierBp = 0;
      }).code,
    ).toBe('errors.policy.invalid');
  });

  it('refuses unsorted PD bands, a closed last band and attention switched off above a flagged band', () => {
    expect(
      failure((p) => {
        must(p.pdBands[1]).belowPpm = 2_000;
      }).code,
    ).toBe('errors.policy.bands_overlap');
    expect(
      failure((p) => {
        must(p.pdBands[5]).belowPpm = 1_000_000;
      }).code,
    ).toBe('errors.policy.bands_gap');
    expect(
      failure((p) => {
        must(p.pdBands[4]).attention = true;
        must(p.pdBands[5]).attention = false;
      }).code,
    ).toBe('errors.policy.attention_order');
  });

  it("refuses the unknown currency 'XXX' and caps without a rounding unit", () => {
    const unknown = failure((p) => {
      p.authorityCaps.XXX = { A: 1, B: 1, C: 1, D: 1, E: 0 };
    });
    expect(unknown.code).toBe('errors.policy.unknown_currency');
    expect(unknown.params).toMatchObject({ field: 'authorityCaps.XXX', currency: 'XXX' });
    const noUnit = failure((p) => {
      p.authorityCaps.EUR = { A: 1, B: 1, C: 1, D: 1, E: 0 };
    });
    expect(noUnit.code).toBe('errors.policy.currency_missing');
    expect(noUnit.params).toMatchObject({ field: 'roundingUnits.EUR', currency: 'EUR' });
  });
});
