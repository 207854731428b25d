import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CreditPolicy, DEFAULT_POLICY } from './app/policy.ts';
import { parseAgingPolicy } from './domain/aging.ts';
import { parseApprovalPolicy } from './domain/approval-policy.ts';
import { parseDunningPolicy } from './domain/dunning.ts';
import { DomainError } from './domain/errors.ts';
import { parseLimitPolicy } from './domain/limits.ts';
import { parsePhaseRules } from './domain/phases.ts';
import { parseReviewPolicy } from './domain/reviews.ts';
import { parseScorecard } from './domain/scorecard.ts';
import { parseStatusPolicy } from './domain/status.ts';

/** The policy files shipped with creditops, next to `src/`. */
export const SHIPPED_POLICY_DIR = resolve(import.meta.dirname, '..', 'config');

function readPolicy<T>(dir: string, name: string, parse: (raw: unknown) => T, fallback: T): T {
  const file = join(dir, `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // A directory may hold only the policies a department changed; the rest are the defaults.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DomainError('errors.policy.not_json', {
      policy: name,
      file,
      reason: (error as Error).message,
    });
  }
  return parse(raw);
}

/**
 * Reads `scorecard.json`, `limits.json`, `reviews.json`, `status.json`, `aging.json`,
 * `dunning.json`, `phase-rules.json` and `approvals.json` from `dir` (POLICY_DIR, default
 * the shipped `config/`). The first bad value stops the start with a message naming policy
 * and field.
 */
export function loadPolicy(dir: string = SHIPPED_POLICY_DIR): CreditPolicy {
  return {
    scorecard: readPolicy(dir, 'scorecard', parseScorecard, DEFAULT_POLICY.scorecard),
    limits: readPolicy(dir, 'limits', parseLimitPolicy, DEFAULT_POLICY.limits),
    reviews: readPolicy(dir, 'reviews', parseReviewPolicy, DEFAULT_POLICY.reviews),
    status: readPolicy(dir, 'status', parseStatusPolicy, DEFAULT_POLICY.status),
    aging: readPolicy(dir, 'aging', parseAgingPolicy, DEFAULT_POLICY.aging),
    dunning: readPolicy(dir, 'dunning', parseDunningPolicy, DEFAULT_POLICY.dunning),
    phaseRules: readPolicy(dir, 'phase-rules', parsePhaseRules, DEFAULT_POLICY.phaseRules),
    approvals: readPolicy(dir, 'approvals', parseApprovalPolicy, DEFAULT_POLICY.approvals),
  };
}
