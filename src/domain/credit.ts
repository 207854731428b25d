/** Credit phases, in the order a relationship normally moves through them. */
export const PHASES = ['screening', 'ongoing', 'watch', 'incident'] as const;
export type Phase = (typeof PHASES)[number];

export const RATINGS = ['A', 'B', 'C', 'D', 'E'] as const;
export type Rating = (typeof RATINGS)[number];

export const ROLES = [
  'viewer',
  'sales',
  'collector',
  'credit_manager',
  'director',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const CONTACT_METHODS = ['call', 'email', 'visit', 'letter', 'chat'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'promise', 'dispute', 'refused'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const STATUS_COLOURS = ['green', 'yellow', 'red'] as const;
export type StatusColour = (typeof STATUS_COLOURS)[number];
