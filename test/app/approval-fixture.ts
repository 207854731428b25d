import type { ApprovalDeps } from '../../src/app/approvals.ts';
import type { Clock, Store } from '../../src/app/ports.ts';
import { loadPolicy } from '../../src/policy-files.ts';
import { TEST_TIMEZONE } from '../support/constants.ts';

/** The approval use cases over a test store: the shipped policy, requests announced in Slack. */
export function approvalDeps(store: Store, clock: Clock): ApprovalDeps {
  const shipped = loadPolicy();
  return {
    store,
    clock,
    timeZone: TEST_TIMEZONE,
    policy: {
      ...shipped,
      approvals: {
        ...shipped.approvals,
        destinations: [{ platform: 'slack', channel: 'C-APPROVALS' }],
      },
    },
  };
}
