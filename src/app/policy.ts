import { type AgingPolicy, DEFAULT_AGING_POLICY } from '../domain/aging.ts';
import { type ApprovalPolicy, DEFAULT_APPROVAL_POLICY } from '../domain/approval-policy.ts';
import { DEFAULT_DUNNING_POLICY, type DunningPolicy } from '../domain/dunning.ts';
import { DEFAULT_LIMIT_POLICY, type LimitPolicy } from '../domain/limits.ts';
import { DEFAULT_PHASE_RULES, type PhaseRules } from '../domain/phases.ts';
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from '../domain/reviews.ts';
import { DEFAULT_SCORECARD, type Scorecard } from '../domain/scorecard.ts';
import { DEFAULT_STATUS_THRESHOLDS, type StatusPolicy } from '../domain/status.ts';

/**
 * The credit department's rules, as data (`config/*.json`): how customers are scored, how
 * limits are recommended, when reviews fall due, which colour a customer shows, how aging is
 * bucketed, which dunning step applies, which phase moves are proposed and who approves a
 * change. Loaded once at start; every use case takes it from its deps.
 */
export interface CreditPolicy {
  readonly scorecard: Scorecard;
  readonly limits: LimitPolicy;
  readonly reviews: ReviewPolicy;
  readonly status: StatusPolicy;
  readonly aging: AgingPolicy;
  readonly dunning: DunningPolicy;
  readonly phaseRules: PhaseRules;
  readonly approvals: ApprovalPolicy;
}

/** The policy shipped in `config/`, as code: what tests and a missing file fall back to. */
export const DEFAULT_POLICY: CreditPolicy = {
  scorecard: DEFAULT_SCORECARD,
  limits: DEFAULT_LIMIT_POLICY,
  reviews: DEFAULT_REVIEW_POLICY,
  status: { version: '2026-11', ...DEFAULT_STATUS_THRESHOLDS },
  aging: DEFAULT_AGING_POLICY,
  dunning: DEFAULT_DUNNING_POLICY,
  phaseRules: DEFAULT_PHASE_RULES,
  approvals: DEFAULT_APPROVAL_POLICY,
};
