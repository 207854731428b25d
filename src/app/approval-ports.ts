import type { Phase, Rating, Role } from '../domain/credit.ts';
import type { Money } from '../domain/money.ts';
import type { PhaseRuleId } from '../domain/phases.ts';
import type { StoredLimit } from './assessment-ports.ts';

/** A phase rule that fired (the shape of proposals.ts ProposalReason, kept here to avoid a cycle). */
export interface RuleReason {
  readonly rule: PhaseRuleId | 'antisocial_check';
  readonly level: 'watch' | 'incident';
  readonly params: Readonly<Record<string, string | number>>;
}

/** One approval request as chat shows it: the customer today, the change asked for, who decided. */
export interface ApprovalView {
  readonly id: number;
  readonly kind: 'limit' | 'phase';
  readonly status: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired';
  readonly customer: {
    id: number;
    code: string;
    legalName: string;
    currency: string;
    phase: Phase;
    creditLimit: Money;
    exposure: Money;
    rating: Rating | null;
    score: number | null;
    ownerName: string | null;
    recommendedLimit: Money | null;
    limitComponents: StoredLimit | undefined;
  };
  readonly change:
    | { kind: 'limit'; from: Money; to: Money }
    | { kind: 'phase'; from: Phase; to: Phase };
  readonly reason: string;
  readonly requester: { label: string; userId: number | null; system: boolean };
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  /** Each step: the roles any one of whom may approve it; currentStep = steps approved so far. */
  readonly steps: readonly (readonly Role[])[];
  readonly currentStep: number;
  readonly decisions: readonly {
    userLabel: string;
    decision: 'approve' | 'reject';
    reason: string | null;
    at: Date;
    step: number;
  }[];
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
  /** A proposal of the phase rules: the rules that fired, worded by the reader's language. */
  readonly ruleReasons?: readonly RuleReason[];
}

/** What a request went through; the notice sent to the requester and the owner names it. */
export type ApprovalEvent =
  | 'approved'
  | 'rejected'
  | 'step_approved'
  | 'cancelled'
  | 'expired'
  | 'reminder';

/** A request as stored; the use cases build the view from it and the customer of today. */
export interface StoredApproval {
  readonly id: number;
  readonly kind: 'limit' | 'phase';
  readonly status: ApprovalView['status'];
  readonly customerId: number;
  readonly requestedByUserId: number | null;
  readonly requestedByLabel: string;
  /** limit: { fromMinor, toMinor, currency }; phase: { from, to }. */
  readonly payload: Record<string, unknown>;
  readonly reason: string;
  readonly steps: readonly (readonly Role[])[];
  readonly currentStep: number;
  readonly notifyOwner: boolean;
  readonly source: 'chat' | 'proposal';
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
  readonly decisions: ApprovalView['decisions'];
  readonly decidedUserIds: readonly number[];
}

export interface NewApproval {
  readonly kind: 'limit' | 'phase';
  readonly customerId: number;
  readonly requestedByUserId: number | null;
  readonly requestedByLabel: string;
  readonly payload: Record<string, unknown>;
  readonly reason: string;
  readonly steps: readonly (readonly Role[])[];
  readonly notifyOwner: boolean;
  readonly source: 'chat' | 'proposal';
  readonly platform: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface PlatformAddress {
  readonly userId: number;
  readonly platform: string;
  readonly externalId: string;
}

export interface ApprovalRepository {
  /** Undefined when the customer already has a pending request of that kind. */
  insert(request: NewApproval): Promise<number | undefined>;
  pendingId(customerId: number, kind: 'limit' | 'phase'): Promise<number | undefined>;
  find(id: number): Promise<StoredApproval | undefined>;
  /**
   * The one conditional UPDATE that decides: moves the request on only if it is still
   * pending at `expectedStep`. False: someone else decided (or it expired) first.
   */
  advance(input: {
    readonly id: number;
    readonly expectedStep: number;
    readonly outcome: 'step_approved' | 'approved' | 'rejected' | 'cancelled';
    readonly userId: number;
    readonly reason: string | null;
    readonly at: Date;
  }): Promise<boolean>;
  recordDecision(input: {
    readonly id: number;
    readonly userId: number;
    readonly decision: 'approve' | 'reject';
    readonly reason: string | null;
    readonly step: number;
    readonly at: Date;
  }): Promise<void>;
  /** Sets the limit if it is still `fromMinor`, and records it as a new assessment. */
  applyLimit(input: {
    readonly customerId: number;
    readonly fromMinor: number;
    readonly toMinor: number;
    readonly requestId: number;
    readonly actor: string;
    readonly at: Date;
  }): Promise<boolean>;
  /** Moves the phase if it is still `from`, with the effects of the new phase. */
  applyPhase(input: {
    readonly customerId: number;
    readonly from: Phase;
    readonly to: Phase;
    readonly creditHold?: boolean;
    readonly limitMinor?: number;
  }): Promise<boolean>;
  /** Pending requests, oldest first. */
  pending(): Promise<StoredApproval[]>;
  /** Marks pending requests past their expiry as expired; returns their ids. */
  expire(now: Date): Promise<number[]>;
  /** Pending requests past their reminder time not yet reminded; marks them reminded. */
  remind(now: Date, shareBp: number): Promise<number[]>;
  /** Where to reach these users on chat platforms (not the console). */
  addresses(userIds: readonly number[]): Promise<PlatformAddress[]>;
  ownerOf(customerId: number): Promise<number | undefined>;
}
