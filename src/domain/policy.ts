import type { z } from 'zod';
import { DomainError } from './errors.ts';

/**
 * Policy configuration (scorecard, limits, reviews, dunning, phase rules) is data a credit
 * department owns, in `config/*.json`. Each policy module declares a zod schema; this turns
 * the first problem into a `DomainError` that names the policy and the field, e.g.
 * `scorecard: items.2.weight — the weights must add up to 100 (they add up to 95)`.
 *
 * A schema refinement reports a specific problem by using an i18n key under
 * `errors.policy.` as its message and its parameters as `params`; any other problem is
 * reported as `errors.policy.invalid` (the field has the wrong type, is missing or out of range).
 */
export function parsePolicy<T>(policy: string, schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  const own = issue?.message.startsWith('errors.policy.') === true;
  const params =
    own && issue?.code === 'custom'
      ? ((issue as { params?: Record<string, string | number> }).params ?? {})
      : {};
  throw new DomainError(
    own && issue ? issue.message : 'errors.policy.invalid',
    { policy, field, ...params },
    `${policy}: ${field} — ${issue?.message ?? 'invalid'}`,
  );
}
