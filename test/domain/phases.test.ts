import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHASES, type Phase, RATINGS } from '../../src/domain/credit.ts';
import { addDays } from '../../src/domain/dates.ts';
import { type DomainError, isDomainError } from '../../src/domain/errors.ts';
import {
  allowedMoves,
  CREDIT_EVENT_KINDS,
  checkMove,
  DEFAULT_PHASE_RULES,
  moveEffects,
  PHASE_MOVES,
  type PhaseFacts,
  type PhaseRules,
  parsePhaseRules,
  proposePhaseMoves,
  SEVERITIES,
} from '../../src/domain/phases.ts';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const asOf = '2026-06-30';
const healthy: PhaseFacts = {
  phase: 'ongoing',
  strategic: false,
  previousRating: 'B',
  rating: 'B',
  maxDaysOverdue: 0,
  brokenPromiseDates: [],
  creditEvents: [],
};

describe('phase moves', () => {
  const legal: [Phase, Phase][] = [
    ['screening', 'ongoing'],
    ['screening', 'watch'],
    ['ongoing', 'watch'],
    ['ongoing', 'incident'],
    ['watch', 'ongoing'],
    ['watch', 'incident'],
  ];
  it.each(legal)('allows %s → %s', (from, to) => {
    expect(() => checkMove(from, to)).not.toThrow();
  });

  const illegal: [Phase, Phase, string][] = [
    ['screening', 'incident', 'ongoing, watch'],
    ['ongoing', 'screening', 'watch, incident'],
    ['watch', 'screening', 'ongoing, incident'],
    ['incident', 'screening', 'watch'],
    ['incident', 'ongoing', 'watch'],
  ];
  it.each(illegal)('refuses %s → %s and lists what is allowed', (from, to, allowed) => {
    const error = refusal(() => checkMove(from, to, { explicit: true }));
    expect(error.code).toBe('errors.phase.illegal_move');
    expect(error.params).toEqual({ from, to, allowed });
  });

  it('refuses a move to the same phase', () => {
    for (const phase of PHASES) {
      const error = refusal(() => checkMove(phase, phase, { explicit: true }));
      expect(error.code).toBe('errors.phase.same_phase');
      expect(error.params).toEqual({ phase });
    }
  });

  it('lets an account out of incident only back to watch, and only by explicit decision', () => {
    expect(refusal(() => checkMove('incident', 'watch')).code).toBe('errors.phase.needs_decision');
    expect(() => checkMove('incident', 'watch', { explicit: true })).not.toThrow();
    expect(allowedMoves('incident')).toEqual([]);
    expect(allowedMoves('incident', { explicit: true })).toEqual(['watch']);
    expect(refusal(() => checkMove('incident', 'ongoing', { explicit: true })).code).toBe(
      'errors.phase.illegal_move',
    );
  });

  it('puts incident accounts on credit hold with a zero limit; only ongoing releases the hold', () => {
    expect(moveEffects('incident')).toEqual({ creditHold: true, limitMinor: 0 });
    expect(moveEffects('watch')).toEqual({});
    expect(moveEffects('ongoing')).toEqual({ creditHold: false });
  });

  it('never reaches a move outside the table, whatever is attempted', () => {
    const attempt = fc.record({ to: fc.constantFrom(...PHASES), explicit: fc.boolean() });
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 40 }), (attempts) => {
        let phase: Phase = 'screening';
        for (const { to, explicit } of attempts) {
          let accepted = true;
          try {
            checkMove(phase, to, { explicit });
          } catch (error) {
            if (!isDomainError(error)) throw error;
            accepted = false;
          }
          if (!accepted) continue;
          const move = PHASE_MOVES.find((m) => m.from === phase && m.to === to);
          expect(move).toBeDefined();
          if (move?.explicitOnly) expect(explicit).toBe(true);
          expect(to).not.toBe('screening');
          phase = to;
        }
      }),
    );
  });
});

describe(proposePhaseMoves.name, () => {
  it('proposes nothing for a healthy account', () => {
    expect(proposePhaseMoves(healthy, DEFAULT_PHASE_RULES, asOf)).toEqual([]);
  });

  it('proposes watch on a two-grade rating drop (A → C), not on one grade', () => {
    const [proposal] = proposePhaseMoves(
      { ...healthy, previousRating: 'A', rating: 'C' },
      DEFAULT_PHASE_RULES,
      asOf,
    );
    expect(proposal).toMatchObject({
      from: 'ongoing',
      to: 'watch',
      rule: 'rating_drop',
      params: { from: 'A', to: 'C', grades: 2 },
    });
    expect(
      proposePhaseMoves(
        { ...healthy, previousRating: 'A', rating: 'B' },
        DEFAULT_PHASE_RULES,
        asOf,
      ),
    ).toEqual([]);
    expect(
      proposePhaseMoves(
        { ...healthy, previousRating: 'C', rating: 'A' },
        DEFAULT_PHASE_RULES,
        asOf,
      ),
    ).toEqual([]);
  });

  it('proposes watch from 60 days overdue and incident from 90', () => {
    const at = (days: number) =>
      proposePhaseMoves({ ...healthy, maxDaysOverdue: days }, DEFAULT_PHASE_RULES, asOf)[0];
    expect(at(59)).toBeUndefined();
    expect(at(60)).toMatchObject({ to: 'watch', rule: 'days_overdue', params: { count: 60 } });
    expect(at(89)?.to).toBe('watch');
    expect(at(90)).toMatchObject({
      to: 'incident',
      rule: 'days_overdue',
      params: { count: 90, threshold: 90 },
    });
  });

  it('proposes watch on 2 broken promises within 90 days', () => {
    const facts = (dates: string[]) => ({ ...healthy, brokenPromiseDates: dates });
    // The 90 days ending on 2026-06-30 start on 2026-04-02.
    expect(
      proposePhaseMoves(facts(['2026-04-02', '2026-06-01']), DEFAULT_PHASE_RULES, asOf)[0],
    ).toMatchObject({ to: 'watch', rule: 'broken_promises', params: { count: 2, withinDays: 90 } });
    expect(
      proposePhaseMoves(facts(['2026-04-01', '2026-06-01']), DEFAULT_PHASE_RULES, asOf),
    ).toEqual([]);
    expect(
      proposePhaseMoves(facts(['2026-04-01', '2026-06-01']), DEFAULT_PHASE_RULES, '2026-06-29'),
    ).toHaveLength(1);
    expect(proposePhaseMoves(facts(['2026-06-01']), DEFAULT_PHASE_RULES, asOf)).toEqual([]);
  });

  it('proposes watch on a recent high-severity event and incident on a bankruptcy filing', () => {
    const news = { kind: 'news', severity: 'high', occurredOn: '2026-06-20' } as const;
    expect(
      proposePhaseMoves({ ...healthy, creditEvents: [news] }, DEFAULT_PHASE_RULES, asOf)[0],
    ).toMatchObject({ to: 'watch', rule: 'credit_event', params: { kind: 'news' } });
    expect(
      proposePhaseMoves(
        { ...healthy, creditEvents: [{ ...news, severity: 'medium' }] },
        DEFAULT_PHASE_RULES,
        asOf,
      ),
    ).toEqual([]);
    const filing = { kind: 'bankruptcy_filing', severity: 'medium', occurredOn: asOf } as const;
    expect(
      proposePhaseMoves({ ...healthy, creditEvents: [filing] }, DEFAULT_PHASE_RULES, asOf)[0],
    ).toMatchObject({ to: 'incident', rule: 'critical_event', params: { on: asOf } });
  });

  it('ignores events older than the window (30 days) and events after asOf', () => {
    const filing = { kind: 'bankruptcy_filing', severity: 'high' } as const;
    const withEvent = (occurredOn: string) => ({
      ...healthy,
      creditEvents: [{ ...filing, occurredOn }],
    });
    expect(proposePhaseMoves(withEvent('2026-05-31'), DEFAULT_PHASE_RULES, asOf)).toHaveLength(1);
    expect(proposePhaseMoves(withEvent('2026-05-30'), DEFAULT_PHASE_RULES, asOf)).toEqual([]);
    expect(proposePhaseMoves(withEvent('2026-07-01'), DEFAULT_PHASE_RULES, asOf)).toEqual([]);
  });

  it('proposes the most severe move only, listing every rule that fired', () => {
    const proposals = proposePhaseMoves(
      {
        ...healthy,
        previousRating: 'A',
        rating: 'D',
        maxDaysOverdue: 95,
        brokenPromiseDates: ['2026-06-01', '2026-06-15'],
      },
      DEFAULT_PHASE_RULES,
      asOf,
    );
    expect(proposals).toHaveLength(1);
    expect(proposals[0]?.to).toBe('incident');
    expect(proposals[0]?.rules.map((r) => `${r.level}:${r.rule}`)).toEqual([
      'incident:days_overdue',
      'watch:rating_drop',
      'watch:broken_promises',
    ]);
  });

  it('proposes only legal moves: watch for screening, nothing for incident or already on watch', () => {
    const severe = { ...healthy, maxDaysOverdue: 120 };
    expect(
      proposePhaseMoves({ ...severe, phase: 'screening' }, DEFAULT_PHASE_RULES, asOf)[0]?.to,
    ).toBe('watch');
    expect(proposePhaseMoves({ ...severe, phase: 'watch' }, DEFAULT_PHASE_RULES, asOf)[0]?.to).toBe(
      'incident',
    );
    expect(proposePhaseMoves({ ...severe, phase: 'incident' }, DEFAULT_PHASE_RULES, asOf)).toEqual(
      [],
    );
    expect(
      proposePhaseMoves(
        { ...healthy, phase: 'watch', maxDaysOverdue: 70 },
        DEFAULT_PHASE_RULES,
        asOf,
      ),
    ).toEqual([]);
  });

  it('never proposes a move for a strategic account', () => {
    expect(
      proposePhaseMoves(
        { ...healthy, strategic: true, maxDaysOverdue: 200 },
        DEFAULT_PHASE_RULES,
        asOf,
      ),
    ).toEqual([]);
  });

  it('only ever proposes legal, non-explicit moves, and none for strategic accounts', () => {
    const date = fc.integer({ min: -120, max: 10 }).map((offset) => addDays(asOf, offset));
    const event = fc.record({
      kind: fc.constantFrom(...CREDIT_EVENT_KINDS),
      severity: fc.constantFrom(...SEVERITIES),
      occurredOn: date,
    });
    const facts = fc.record({
      phase: fc.constantFrom(...PHASES),
      strategic: fc.boolean(),
      previousRating: fc.option(fc.constantFrom(...RATINGS), { nil: undefined }),
      rating: fc.option(fc.constantFrom(...RATINGS), { nil: undefined }),
      maxDaysOverdue: fc.integer({ min: 0, max: 200 }),
      brokenPromiseDates: fc.array(date, { maxLength: 4 }),
      creditEvents: fc.array(event, { maxLength: 4 }),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const proposals = proposePhaseMoves(f, DEFAULT_PHASE_RULES, asOf);
        expect(proposals.length).toBeLessThanOrEqual(1);
        if (f.strategic) expect(proposals).toEqual([]);
        for (const p of proposals) {
          expect(p.from).toBe(f.phase);
          expect(allowedMoves(f.phase)).toContain(p.to);
          expect(p.rules.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe(parsePhaseRules.name, () => {
  it('accepts the shipped config/phase-rules.json, equal to the built-in default', () => {
    const raw = JSON.parse(readFileSync('config/phase-rules.json', 'utf8'));
    expect(parsePhaseRules(raw)).toEqual(DEFAULT_PHASE_RULES);
  });

  it('refuses an incident threshold that is not above the watch threshold', () => {
    const bad: PhaseRules = {
      ...DEFAULT_PHASE_RULES,
      incident: { ...DEFAULT_PHASE_RULES.incident, minDaysOverdue: 60 },
    };
    const error = refusal(() => parsePhaseRules(bad));
    expect(error.code).toBe('errors.policy.phase_overdue_order');
    expect(error.params).toEqual({
      policy: 'phase-rules',
      field: 'incident.minDaysOverdue',
      watch: 60,
      incident: 60,
    });
  });

  it('names the field of an unknown event kind', () => {
    const bad = {
      ...DEFAULT_PHASE_RULES,
      incident: { ...DEFAULT_PHASE_RULES.incident, eventKinds: ['earthquake'] },
    };
    const error = refusal(() => parsePhaseRules(bad));
    expect(error.code).toBe('errors.policy.invalid');
    expect(error.params).toEqual({ policy: 'phase-rules', field: 'incident.eventKinds.0' });
  });
});
