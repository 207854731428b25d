import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agingBuckets, bucketIndex } from '../../src/domain/aging.ts';
import { addDays } from '../../src/domain/dates.ts';

const buckets = agingBuckets();
const label = (due: string, asOf: string) => buckets[bucketIndex(buckets, due, asOf)]?.key;

describe(agingBuckets.name, () => {
  it('makes current, 1–30, 31–60, 61–90 and 91+ by default', () => {
    expect(buckets.map((b) => b.key)).toEqual(['current', '1-30', '31-60', '61-90', '91+']);
  });

  it('accepts other edges and refuses edges that do not increase', () => {
    expect(agingBuckets([15, 45]).map((b) => b.key)).toEqual(['current', '1-15', '16-45', '46+']);
    expect(() => agingBuckets([30, 30])).toThrow(
      expect.objectContaining({ code: 'errors.config.aging_edges' }),
    );
    expect(() => agingBuckets([0])).toThrow();
  });
});

describe(bucketIndex.name, () => {
  it('puts an invoice by its days past due', () => {
    expect(label('2026-11-23', '2026-11-23')).toBe('current');
    expect(label('2026-12-31', '2026-11-23')).toBe('current');
    expect(label('2026-11-22', '2026-11-23')).toBe('1-30');
    expect(label('2026-10-24', '2026-11-23')).toBe('1-30');
    expect(label('2026-10-23', '2026-11-23')).toBe('31-60');
    expect(label('2026-08-25', '2026-11-23')).toBe('61-90');
    expect(label('2026-08-24', '2026-11-23')).toBe('91+');
  });

  it('never makes an invoice younger as the as-of date moves forward', () => {
    const day = fc.integer({ min: 0, max: 2000 }).map((n) => addDays('2020-01-01', n));
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 400 }), (due, asOf, later) => {
        expect(bucketIndex(buckets, due, addDays(asOf, later))).toBeGreaterThanOrEqual(
          bucketIndex(buckets, due, asOf),
        );
      }),
    );
  });
});
