import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isDomainError } from '../../src/domain/errors.ts';
import { parsePolicy } from '../../src/domain/policy.ts';

const schema = z
  .object({ version: z.string(), weights: z.array(z.number().int().min(0)) })
  .superRefine((value, ctx) => {
    const sum = value.weights.reduce((a, b) => a + b, 0);
    if (sum !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['weights'],
        message: 'errors.policy.weights_sum',
        params: { sum },
      });
    }
  });

function failure(raw: unknown) {
  try {
    parsePolicy('scorecard', schema, raw);
  } catch (error) {
    if (isDomainError(error)) return error;
  }
  throw new Error('expected a DomainError');
}

describe('parsePolicy', () => {
  it('returns the parsed value when the policy is valid', () => {
    expect(parsePolicy('scorecard', schema, { version: '1', weights: [60, 40] })).toEqual({
      version: '1',
      weights: [60, 40],
    });
  });

  it('names the policy and the field of a type error', () => {
    const error = failure({ version: '1', weights: [60, -1] });
    expect(error.code).toBe('errors.policy.invalid');
    expect(error.params).toEqual({ policy: 'scorecard', field: 'weights.1' });
  });

  it('keeps the key and parameters of a refinement', () => {
    const error = failure({ version: '1', weights: [60, 35] });
    expect(error.code).toBe('errors.policy.weights_sum');
    expect(error.params).toEqual({ policy: 'scorecard', field: 'weights', sum: 95 });
  });
});
