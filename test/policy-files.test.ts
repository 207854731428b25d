import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../src/app/policy.ts';
import { isDomainError } from '../src/domain/errors.ts';
import { loadPolicy } from '../src/policy-files.ts';

function refusal(dir: string) {
  try {
    loadPolicy(dir);
  } catch (error) {
    if (isDomainError(error)) return error;
  }
  throw new Error('expected a refusal');
}

describe(loadPolicy.name, () => {
  it('reads the shipped config/ to the same policy as the defaults in code', () => {
    expect(loadPolicy()).toEqual(DEFAULT_POLICY);
  });

  it('takes the defaults for files a department has not changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditops-policy-'));
    writeFileSync(join(dir, 'aging.json'), JSON.stringify({ version: 'x', edges: [15, 45] }));
    const policy = loadPolicy(dir);
    expect(policy.aging.edges).toEqual([15, 45]);
    expect(policy.scorecard).toEqual(DEFAULT_POLICY.scorecard);
  });

  it('names the policy and field of a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditops-policy-'));
    writeFileSync(join(dir, 'aging.json'), JSON.stringify({ version: 'x', edges: [30, 20] }));
    const error = refusal(dir);
    expect(error.code).toBe('errors.policy.aging_edges_order');
    expect(error.params).toMatchObject({ policy: 'aging', field: 'edges.1' });
  });

  it('says which file is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditops-policy-'));
    writeFileSync(join(dir, 'status.json'), '{ "version": ');
    const error = refusal(dir);
    expect(error.code).toBe('errors.policy.not_json');
    expect(error.params).toMatchObject({ policy: 'status', file: join(dir, 'status.json') });
  });

  it('refuses a yellow threshold above the red one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditops-policy-'));
    const status = { ...DEFAULT_POLICY.status, yellowUtilisationBp: 12_000 };
    writeFileSync(join(dir, 'status.json'), JSON.stringify(status));
    expect(refusal(dir).code).toBe('errors.policy.status_utilisation_order');
  });
});
