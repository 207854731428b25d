import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/errors.ts';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectivenessIndex,
  collectionRate,
  dsoCountback,
  dsoSimple,
  overdueRatio,
  paymentLateness,
} from '../../src/domain/kpi.ts';

describe(dsoSimple.name, () => {
  it('is AR ÷ credit sales × days', () => {
    // AR 1,200,000; sales over 90 days 3,600,000 → 1,200,000 / 3,600,000 × 90 = 30.0
    expect(
      dsoSimple({ endingArMinor: 1_200_000, creditSalesMinor: 3_600_000, daysInPeriod: 90 }),
    ).toBe(30);
    // AR 1,000,000; sales over 30 days 700,000 → 1,000,000 × 30 / 700,000 = 42.857… → 42.9
    expect(
      dsoSimple({ endingArMinor: 1_000_000, creditSalesMinor: 700_000, daysInPeriod: 30 }),
    ).toBe(42.9);
  });

  it('rounds halves away from zero', () => {
    // AR 121; sales 400 over 100 days → 121 × 100 / 400 = 30.25 → 30.3
    expect(dsoSimple({ endingArMinor: 121, creditSalesMinor: 400, daysInPeriod: 100 })).toBe(30.3);
  });

  it('is undefined without sales', () => {
    expect(dsoSimple({ endingArMinor: 500_000, creditSalesMinor: 0, daysInPeriod: 30 })).toBe(
      undefined,
    );
  });

  it('stays exact for amounts far beyond float precision once multiplied by days', () => {
    // 9,000,000,000,000,000 × 365 overflows 2^53; sales = AR / 2 → 365 × 2 = 730.0
    expect(
      dsoSimple({
        endingArMinor: 9_000_000_000_000_000,
        creditSalesMinor: 4_500_000_000_000_000,
        daysInPeriod: 365,
      }),
    ).toBe(730);
  });

  it('refuses a fractional amount or a period of no days', () => {
    for (const input of [
      { endingArMinor: 10.5, creditSalesMinor: 100, daysInPeriod: 30 },
      { endingArMinor: 10, creditSalesMinor: 100, daysInPeriod: 0 },
    ]) {
      let code = '';
      try {
        dsoSimple(input);
      } catch (error) {
        if (isDomainError(error)) code = error.code;
      }
      expect(code).toBe('errors.kpi.invalid_input');
    }
  });
});

describe(dsoCountback.name, () => {
  it('spans two and a half months', () => {
    // AR 2,500,000. Mar (31 d) sales 1,000,000 → full month, 1,500,000 left;
    // Feb (28 d) 1,000,000 → full month, 500,000 left;
    // Jan (31 d) 1,000,000 → 500,000 / 1,000,000 × 31 = 15.5.  DSO = 31 + 28 + 15.5 = 74.5
    expect(
      dsoCountback({
        endingArMinor: 2_500_000,
        months: [
          { creditSalesMinor: 1_000_000, days: 31 },
          { creditSalesMinor: 1_000_000, days: 28 },
          { creditSalesMinor: 1_000_000, days: 31 },
        ],
      }),
    ).toBe(74.5);
  });

  it('is a fraction of the newest month when AR is below its sales', () => {
    // AR 300,000; Jun (30 d) sales 900,000 → 300,000 / 900,000 × 30 = 10.0
    expect(
      dsoCountback({ endingArMinor: 300_000, months: [{ creditSalesMinor: 900_000, days: 30 }] }),
    ).toBe(10);
  });

  it('is unmoved by a seasonal spike where the simple method is not', () => {
    // Dec sales 3,000,000 (31 d), Nov 1,000,000 (30 d); AR 3,500,000.
    // Countback: Dec full (31), 500,000 left; Nov 500,000 / 1,000,000 × 30 = 15 → 46.0
    // Simple over the two months: 3,500,000 / 4,000,000 × 61 = 53.375 → 53.4
    const months = [
      { creditSalesMinor: 3_000_000, days: 31 },
      { creditSalesMinor: 1_000_000, days: 30 },
    ];
    expect(dsoCountback({ endingArMinor: 3_500_000, months })).toBe(46);
    expect(
      dsoSimple({ endingArMinor: 3_500_000, creditSalesMinor: 4_000_000, daysInPeriod: 61 }),
    ).toBe(53.4);
  });

  it('stops exactly at a month boundary, is 0 without AR, and undefined when history runs out', () => {
    // AR 1,000,000 = Mar sales exactly → 31.0, no fraction of Feb needed
    const months = [
      { creditSalesMinor: 1_000_000, days: 31 },
      { creditSalesMinor: 1_000_000, days: 28 },
    ];
    expect(dsoCountback({ endingArMinor: 1_000_000, months })).toBe(31);
    expect(dsoCountback({ endingArMinor: 1_000_000, months: months.slice(0, 1) })).toBe(31);
    expect(dsoCountback({ endingArMinor: 0, months })).toBe(0);
    // AR 2,500,000 > 2,000,000 of all the sales given: cannot tell how old it is
    expect(dsoCountback({ endingArMinor: 2_500_000, months })).toBe(undefined);
    // A month without sales counts as a whole month gone by: 31 + 28 (no sales) + 15.5
    expect(
      dsoCountback({
        endingArMinor: 1_500_000,
        months: [
          { creditSalesMinor: 1_000_000, days: 31 },
          { creditSalesMinor: 0, days: 28 },
          { creditSalesMinor: 1_000_000, days: 31 },
        ],
      }),
    ).toBe(74.5);
  });
});

describe('best possible DSO and average days delinquent', () => {
  it('splits DSO into what the terms allow and what lateness adds', () => {
    // AR 1,200,000 of which current 800,000; sales 3,600,000 over 90 days.
    // DSO   = 1,200,000 / 3,600,000 × 90 = 30.0
    // BPDSO =   800,000 / 3,600,000 × 90 = 20.0
    // ADD   = 30.0 − 20.0 = (1,200,000 − 800,000) / 3,600,000 × 90 = 10.0
    const period = { creditSalesMinor: 3_600_000, daysInPeriod: 90 };
    expect(bestPossibleDso({ currentArMinor: 800_000, ...period })).toBe(20);
    expect(
      averageDaysDelinquent({ endingArMinor: 1_200_000, currentArMinor: 800_000, ...period }),
    ).toBe(10);
  });

  it('uses the unrounded DSO and BPDSO', () => {
    // sales 700,000 over 30 d. DSO = 1,000,000 × 30 / 700,000 = 42.857…;
    // BPDSO = 350,000 × 30 / 700,000 = 15.0; ADD = 650,000 × 30 / 700,000 = 27.857… → 27.9
    const period = { creditSalesMinor: 700_000, daysInPeriod: 30 };
    expect(bestPossibleDso({ currentArMinor: 350_000, ...period })).toBe(15);
    expect(
      averageDaysDelinquent({ endingArMinor: 1_000_000, currentArMinor: 350_000, ...period }),
    ).toBe(27.9);
  });

  it('is undefined without sales', () => {
    const period = { creditSalesMinor: 0, daysInPeriod: 30 };
    expect(bestPossibleDso({ currentArMinor: 1, ...period })).toBe(undefined);
    expect(averageDaysDelinquent({ endingArMinor: 2, currentArMinor: 1, ...period })).toBe(
      undefined,
    );
  });

  it('ADD equals DSO − BPDSO within rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 366 }),
        (current, overdue, sales, days) => {
          const period = { creditSalesMinor: sales, daysInPeriod: days };
          const dso = dsoSimple({ endingArMinor: current + overdue, ...period }) ?? Number.NaN;
          const bp = bestPossibleDso({ currentArMinor: current, ...period }) ?? Number.NaN;
          const add =
            averageDaysDelinquent({
              endingArMinor: current + overdue,
              currentArMinor: current,
              ...period,
            }) ?? Number.NaN;
          // Compared in whole tenths: each value is off by at most half a tenth.
          const tenths = Math.round(dso * 10) - Math.round(bp * 10) - Math.round(add * 10);
          expect(Math.abs(tenths)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe(collectionEffectivenessIndex.name, () => {
  it('is collected ÷ collectible × 100', () => {
    // beginning 1,000,000 + sales 2,000,000 = 3,000,000 available.
    // collected = 3,000,000 − ending 1,200,000 = 1,800,000;
    // collectible = 3,000,000 − ending current 900,000 = 2,100,000;
    // CEI = 1,800,000 / 2,100,000 × 100 = 85.714… → 85.7
    expect(
      collectionEffectivenessIndex({
        beginningArMinor: 1_000_000,
        creditSalesMinor: 2_000_000,
        endingArMinor: 1_200_000,
        endingCurrentArMinor: 900_000,
      }),
    ).toBe(85.7);
  });

  it('is 100 when everything that fell due was collected', () => {
    // 500,000 + 1,000,000 − 600,000 = 900,000 collected; ending AR is all current → 900,000 / 900,000
    expect(
      collectionEffectivenessIndex({
        beginningArMinor: 500_000,
        creditSalesMinor: 1_000_000,
        endingArMinor: 600_000,
        endingCurrentArMinor: 600_000,
      }),
    ).toBe(100);
  });

  it('is undefined when nothing was collectible', () => {
    // 0 + 400,000 − 400,000 current = 0
    expect(
      collectionEffectivenessIndex({
        beginningArMinor: 0,
        creditSalesMinor: 400_000,
        endingArMinor: 400_000,
        endingCurrentArMinor: 400_000,
      }),
    ).toBe(undefined);
  });
});

describe(overdueRatio.name, () => {
  it('is overdue ÷ total AR × 100', () => {
    // 250,000 / 2,000,000 × 100 = 12.5
    expect(overdueRatio({ overdueArMinor: 250_000, totalArMinor: 2_000_000 })).toBe(12.5);
    // 1 / 3 × 100 = 33.333… → 33.3
    expect(overdueRatio({ overdueArMinor: 1, totalArMinor: 3 })).toBe(33.3);
  });

  it('is undefined without receivables', () => {
    expect(overdueRatio({ overdueArMinor: 0, totalArMinor: 0 })).toBe(undefined);
  });
});

describe(collectionRate.name, () => {
  it('is collected ÷ (beginning AR + credit sales) × 100', () => {
    // 回収率: collected 1,700,000 / (1,000,000 + 1,500,000) × 100 = 68.0
    expect(
      collectionRate({
        collectedMinor: 1_700_000,
        beginningArMinor: 1_000_000,
        creditSalesMinor: 1_500_000,
      }),
    ).toBe(68);
    // USD in cents: 123,456 / (100,000 + 200,000) × 100 = 41.152 → 41.2
    expect(
      collectionRate({
        collectedMinor: 123_456,
        beginningArMinor: 100_000,
        creditSalesMinor: 200_000,
      }),
    ).toBe(41.2);
  });

  it('is undefined when there was nothing to collect', () => {
    expect(collectionRate({ collectedMinor: 0, beginningArMinor: 0, creditSalesMinor: 0 })).toBe(
      undefined,
    );
  });
});

describe(paymentLateness.name, () => {
  it('averages days late simply and by amount, counting early payment as 0', () => {
    // A: due 4/30, paid 5/10 → 10 days late, 1,000,000
    // B: due 4/30, paid 4/25 → early → 0 days, 3,000,000
    // C: due 5/31, paid 6/30 → 30 days late, 1,000,000
    // simple   = (10 + 0 + 30) / 3 = 13.333… → 13.3
    // weighted = (10 × 1,000,000 + 0 × 3,000,000 + 30 × 1,000,000) / 5,000,000 = 8.0
    // late share = 2 / 3 = 6,666.6… bp → 6,666 (rounded down)
    expect(
      paymentLateness([
        { dueOn: '2026-04-30', settledOn: '2026-05-10', amountMinor: 1_000_000 },
        { dueOn: '2026-04-30', settledOn: '2026-04-25', amountMinor: 3_000_000 },
        { dueOn: '2026-05-31', settledOn: '2026-06-30', amountMinor: 1_000_000 },
      ]),
    ).toEqual({
      invoices: 3,
      averageDaysLate: 13.3,
      weightedAverageDaysLate: 8,
      lateShareBp: 6_666,
    });
  });

  it('counts across month and year ends', () => {
    // due 2026-12-25, paid 2027-01-04 → 6 + 4 = 10 days; paid on the due date → 0
    // simple = (10 + 0) / 2 = 5.0; weighted = 10 × 300 / (300 + 100) = 7.5; late 1 / 2 = 5,000 bp
    expect(
      paymentLateness([
        { dueOn: '2026-12-25', settledOn: '2027-01-04', amountMinor: 300 },
        { dueOn: '2026-12-25', settledOn: '2026-12-25', amountMinor: 100 },
      ]),
    ).toEqual({
      invoices: 2,
      averageDaysLate: 5,
      weightedAverageDaysLate: 7.5,
      lateShareBp: 5_000,
    });
  });

  it('is undefined without invoices, and refuses a bad date', () => {
    expect(paymentLateness([])).toEqual({
      invoices: 0,
      averageDaysLate: undefined,
      weightedAverageDaysLate: undefined,
      lateShareBp: undefined,
    });
    expect(() =>
      paymentLateness([{ dueOn: '2026-02-30', settledOn: '2026-03-01', amountMinor: 1 }]),
    ).toThrow(expect.objectContaining({ code: 'errors.date.invalid' }));
  });
});
