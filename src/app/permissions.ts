import type { Role } from '../domain/credit.ts';
import { DomainError } from '../domain/errors.ts';
import type { User } from './ports.ts';

// Who may do what. Every use case that acts for a person checks here, so a new platform or
// the REST API cannot forget a check the chat adapter happens to make.

/** What a person can ask creditops to do; each chat command stands for one. */
export const CAPABILITIES = [
  'lookup',
  'share',
  'log',
  'lang',
  'help',
  'limit',
  'phase',
  'approvals',
  'aging',
  'digest',
  'my_digest',
  'subscribe',
  'admin_users',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const EVERYONE: readonly Capability[] = ['lookup', 'lang', 'help'];
const CREDIT_DESK: readonly Capability[] = CAPABILITIES.filter((c) => c !== 'admin_users');

/**
 * The policy. Anyone the company lets into the workspace may read a customer's credit card
 * (a viewer is an unknown Slack user too). The people who deal with the customer — sales
 * and collectors — also log contacts, share cards with their channel, see the portfolio
 * aging, ask for limit changes and may have their own customers' digest sent to them;
 * collectors also propose phase moves (watch, incident).
 * `config/approvals.json` may narrow who requests further. Credit managers and directors
 * decide limits, phases and approvals and run digests. Only admins manage who has which
 * role, so nobody grants themselves more.
 */
export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  viewer: EVERYONE,
  sales: [...EVERYONE, 'share', 'log', 'limit', 'aging', 'my_digest'],
  collector: [...EVERYONE, 'share', 'log', 'limit', 'phase', 'aging', 'my_digest'],
  credit_manager: CREDIT_DESK,
  director: CREDIT_DESK,
  admin: CAPABILITIES,
};

/**
 * How a person asks for each capability, named in the refusal. The chat grammar is the
 * one way in for all of them today.
 */
export const CAPABILITY_COMMANDS: Readonly<Record<Capability, string>> = {
  lookup: '/credit <customer>',
  share: '/credit share',
  log: '/credit log',
  lang: '/credit lang',
  help: '/credit help',
  limit: '/credit limit',
  phase: '/credit phase',
  approvals: '/credit approvals',
  aging: '/credit aging',
  digest: '/credit digest',
  my_digest: '/credit digest me',
  subscribe: '/credit subscribe',
  admin_users: '/credit admin users',
};

export function can(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].includes(capability);
}

/**
 * Refuses a person whose role lacks the capability. `role` goes out as the role's id:
 * the layer that words the refusal names it in the reader's language.
 */
export function authorize(user: User, capability: Capability): void {
  if (can(user.role, capability)) return;
  throw new DomainError('errors.permission.denied', {
    command: CAPABILITY_COMMANDS[capability],
    role: user.role,
  });
}
