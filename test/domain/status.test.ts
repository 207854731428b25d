import { describe, expect, it } from 'vitest';
import { computeStatus, type StatusInput } from '../../src/domain/status.ts';

const healthy: StatusInput = {
  utilisationBp: 5000,
  maxDaysOverdue: 0,
  rating: 'B',
  phase: 'ongoing',
  creditHold: false,
  blacklisted: false,
};

describe(computeStatus.name, () => {
  it('is green for a customer within limit, paying on time, rated B', () => {
    expect(computeStatus(healthy)).toEqual({ colour: 'green', reasons: [] });
  });

  it('turns yellow at 80 % utilisation, a day overdue or rating D', () => {
    expect(computeStatus({ ...healthy, utilisationBp: 8000 }).colour).toBe('yellow');
    expect(computeStatus({ ...healthy, utilisationBp: 7999 }).colour).toBe('green');
    expect(computeStatus({ ...healthy, maxDaysOverdue: 1 }).reasons).toEqual(['overdue']);
    expect(computeStatus({ ...healthy, rating: 'D' }).reasons).toEqual(['weak_rating']);
  });

  it('turns red over the limit, past 30 days, at rating E, on watch or in incident', () => {
    expect(computeStatus({ ...healthy, utilisationBp: 10001 }).reasons).toEqual(['over_limit']);
    expect(computeStatus({ ...healthy, utilisationBp: 10000 }).colour).toBe('yellow');
    // utilisationBp (limits.ts) gives undefined for exposure with no limit granted.
    expect(computeStatus({ ...healthy, utilisationBp: undefined }).reasons).toEqual(['over_limit']);
    expect(computeStatus({ ...healthy, maxDaysOverdue: 31 }).reasons).toEqual(['long_overdue']);
    expect(computeStatus({ ...healthy, maxDaysOverdue: 30 }).colour).toBe('yellow');
    expect(computeStatus({ ...healthy, rating: 'E' }).colour).toBe('red');
    expect(computeStatus({ ...healthy, phase: 'watch' }).reasons).toEqual(['phase_watch']);
    expect(computeStatus({ ...healthy, phase: 'incident', creditHold: true }).reasons).toEqual([
      'phase_incident',
      'credit_hold',
    ]);
  });

  it('lists every reason, the red ones first', () => {
    const status = computeStatus({
      ...healthy,
      utilisationBp: 12000,
      maxDaysOverdue: 10,
      rating: 'D',
    });
    expect(status).toEqual({ colour: 'red', reasons: ['over_limit', 'overdue', 'weak_rating'] });
  });
});
