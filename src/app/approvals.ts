import { agingBuckets } from '../domain/aging.ts';
import { approvalDeadlines, approvalRoute } from '../domain/approval-policy.ts';
import { parseChatAmount } from '../domain/chat-amount.ts';
import { PHASES, type Phase } from '../domain/credit.ts';
import { dateInTimeZone, type IsoDate } from '../domain/dates.ts';
import { DomainError } from '../domain/errors.ts';
import { money } from '../domain/money.ts';
import { checkMove, moveEffects } from '../domain/phases.ts';
import type { ApprovalEvent, ApprovalView, NewApproval, StoredApproval } from './approval-ports.ts';
import { type Delivery, handledBefore } from './contacts.ts';
import { type CustomerSearch, findCustomer, viewCustomer } from './lookup.ts';
import type { NewOutboxMessage } from './outbox-ports.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store, User } from './ports.ts';
import { type PhaseMoveProposal, type ProposalReason, proposalsReport } from './proposals.ts';

// Credit-limit changes and phase moves, decided by the people the approval policy names.
// The decision is one conditional UPDATE (pending at this step → next state), and the
// change, the audit trail and the messages it causes go in the same transaction: two
// people clicking at once get one decision, and a failure leaves neither.

export interface ApprovalDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly policy: CreditPolicy;
}

export type RequestResult =
  | { readonly kind: 'requested'; readonly view: ApprovalView }
  | { readonly kind: 'already_pending'; readonly view: ApprovalView }
  | { readonly kind: 'repeat' }
  | Exclude<CustomerSearch, { kind: 'one' }>;

export type DecisionResult =
  | { readonly kind: 'approved' | 'rejected' | 'step_approved'; readonly view: ApprovalView }
  | { readonly kind: 'already_decided'; readonly view: ApprovalView }
  | { readonly kind: 'repeat' };

/** What the request and limit forms show: the customer as it stands. */
export type RequestTarget =
  | { readonly kind: 'form'; readonly customer: ApprovalView['customer'] }
  | Exclude<CustomerSearch, { kind: 'one' }>;

const MAX_REASON = 500;
const actorOf = (user: User) => `user:${user.id}`;

async function customerNow(
  deps: ApprovalDeps,
  customerId: number,
): Promise<ApprovalView['customer']> {
  const asOf = dateInTimeZone(deps.clock.now(), deps.timeZone);
  const buckets = agingBuckets(deps.policy.aging.edges);
  const snapshot = await deps.store.customers.snapshot({ customerId, asOf, buckets });
  if (!snapshot) throw new DomainError('errors.customer.not_found', { query: String(customerId) });
  const view = viewCustomer(snapshot, asOf, buckets, deps.policy);
  const detail = snapshot.assessment?.detail;
  return {
    id: snapshot.id,
    code: snapshot.code,
    legalName: snapshot.legalName,
    currency: snapshot.currency,
    phase: snapshot.phase,
    creditLimit: snapshot.creditLimit,
    exposure: money(view.exposureMinor, snapshot.currency),
    rating: snapshot.assessment?.rating ?? null,
    score: snapshot.assessment?.score ?? null,
    ownerName: snapshot.ownerName,
    recommendedLimit:
      detail?.recommendedLimitMinor == null
        ? null
        : money(detail.recommendedLimitMinor, detail.currency),
    limitComponents: detail?.limit,
  };
}

function toView(stored: StoredApproval, customer: ApprovalView['customer']): ApprovalView {
  const p = stored.payload;
  const change: ApprovalView['change'] =
    stored.kind === 'limit'
      ? {
          kind: 'limit',
          from: money(Number(p.fromMinor), String(p.currency)),
          to: money(Number(p.toMinor), String(p.currency)),
        }
      : { kind: 'phase', from: p.from as Phase, to: p.to as Phase };
  return {
    id: stored.id,
    kind: stored.kind,
    status: stored.status,
    customer,
    change,
    reason: stored.reason,
    requester: {
      label: stored.requestedByLabel,
      userId: stored.requestedByUserId,
      system: stored.source === 'proposal',
    },
    createdAt: stored.createdAt,
    expiresAt: stored.expiresAt,
    steps: stored.steps,
    currentStep: stored.currentStep,
    decisions: stored.decisions,
    decidedAt: stored.decidedAt,
    decisionReason: stored.decisionReason,
    ...(stored.source === 'proposal' && Array.isArray(p.reasons)
      ? { ruleReasons: p.reasons as ProposalReason[] }
      : {}),
  };
}

/** One request as chat shows it, with the customer as it stands now. */
export async function approvalView(
  deps: ApprovalDeps,
  id: number,
): Promise<ApprovalView | undefined> {
  const stored = await deps.store.approvals.find(id);
  return stored ? toView(stored, await customerNow(deps, stored.customerId)) : undefined;
}

function cardMessages(
  deps: ApprovalDeps,
  requestId: number,
  mode: 'post' | 'update',
): NewOutboxMessage[] {
  return deps.policy.approvals.destinations.map((d) => ({
    platform: d.platform,
    channel: d.channel,
    kind: mode,
    payload: { type: 'approval_card', requestId, mode },
    subjectType: 'approval_request',
    subjectId: String(requestId),
  }));
}

async function noticeMessages(
  store: Store,
  stored: StoredApproval,
  event: ApprovalEvent,
): Promise<NewOutboxMessage[]> {
  const people = new Set<number>();
  if (stored.requestedByUserId !== null) people.add(stored.requestedByUserId);
  const owner = await store.approvals.ownerOf(stored.customerId);
  if (owner !== undefined && (stored.notifyOwner || event === 'approved')) people.add(owner);
  const addresses = await store.approvals.addresses([...people]);
  return addresses.map((a) => ({
    platform: a.platform,
    channel: a.externalId,
    kind: 'direct' as const,
    payload: { type: 'approval_notice', requestId: stored.id, event },
    subjectType: 'approval_request',
    subjectId: String(stored.id),
  }));
}

function checkReason(reason: string): string {
  const text = reason.trim();
  if (text === '') throw new DomainError('errors.approval.reason_required');
  if ([...text].length > MAX_REASON) {
    throw new DomainError('errors.approval.reason_too_long', { max: MAX_REASON });
  }
  return text;
}

function checkRequester(deps: ApprovalDeps, user: User, kind: 'limit' | 'phase'): void {
  const roles = deps.policy.approvals.requesters[kind];
  if (!roles.includes(user.role)) {
    throw new DomainError('errors.approval.cannot_request', { kind, role: user.role });
  }
}

async function target(
  deps: ApprovalDeps,
  user: User,
  kind: 'limit' | 'phase',
  query: string,
): Promise<RequestTarget> {
  checkRequester(deps, user, kind);
  const found = await findCustomer(deps.store, query);
  if (found.kind !== 'one') return found;
  return { kind: 'form', customer: await customerNow(deps, found.match.customerId) };
}

/** `/credit limit <customer>` alone: the customer for the request form. */
export function prepareLimitRequest(deps: ApprovalDeps, user: User, query: string) {
  return target(deps, user, 'limit', query);
}

/** `/credit phase <customer>` alone: the customer for the request form. */
export function preparePhaseRequest(deps: ApprovalDeps, user: User, query: string) {
  return target(deps, user, 'phase', query);
}

interface Draft {
  readonly kind: 'limit' | 'phase';
  readonly customer: ApprovalView['customer'];
  readonly payload: Record<string, unknown>;
  readonly reason: string;
  readonly route: { steps: string[][]; notifyOwner: boolean };
}

async function createRequest(
  deps: ApprovalDeps,
  requester: {
    user: User | undefined;
    label: string;
    source: 'chat' | 'proposal';
    platform: string | null;
  },
  draft: Draft,
  delivery: Delivery | undefined,
): Promise<RequestResult> {
  const now = deps.clock.now();
  const { expiresAt } = approvalDeadlines(deps.policy.approvals, now, deps.timeZone);
  return deps.store.transaction(async (tx) => {
    if (delivery && !(await tx.inbound.claim(delivery.platform, delivery.eventId))) {
      return { kind: 'repeat' };
    }
    const pending = await tx.approvals.pendingId(draft.customer.id, draft.kind);
    const request: NewApproval = {
      kind: draft.kind,
      customerId: draft.customer.id,
      requestedByUserId: requester.user?.id ?? null,
      requestedByLabel: requester.label,
      payload: draft.payload,
      reason: draft.reason,
      steps: draft.route.steps as NewApproval['steps'],
      notifyOwner: draft.route.notifyOwner,
      source: requester.source,
      platform: requester.platform,
      createdAt: now,
      expiresAt,
    };
    const id = pending === undefined ? await tx.approvals.insert(request) : undefined;
    if (id === undefined) {
      const existing = pending ?? (await tx.approvals.pendingId(draft.customer.id, draft.kind));
      const stored = existing === undefined ? undefined : await tx.approvals.find(existing);
      if (!stored) throw new DomainError('errors.approval.not_found', { id: String(existing) });
      return { kind: 'already_pending', view: toView(stored, draft.customer) };
    }
    await tx.audit.record({
      actor: requester.user ? actorOf(requester.user) : 'system:phase-rules',
      action: 'approval.request',
      entityType: 'approval_request',
      entityId: String(id),
      before: null,
      after: {
        kind: draft.kind,
        customer: draft.customer.code,
        ...draft.payload,
        reason: draft.reason,
        steps: draft.route.steps,
      },
    });
    await tx.outbox.enqueue(cardMessages(deps, id, 'post'));
    const stored = await tx.approvals.find(id);
    if (!stored) throw new DomainError('errors.approval.not_found', { id: String(id) });
    return { kind: 'requested', view: toView(stored, draft.customer) };
  });
}

const chatRequester = (user: User, delivery: Delivery | undefined) => ({
  user,
  label: user.displayName,
  source: 'chat' as const,
  platform: delivery?.platform ?? null,
});

/** `/credit limit <customer> <amount> <reason>`: asks for a new credit limit. */
export async function requestLimitChange(
  deps: ApprovalDeps,
  user: User,
  input: {
    readonly query: string;
    readonly amountText: string;
    readonly reason: string;
    readonly delivery?: Delivery;
  },
): Promise<RequestResult> {
  checkRequester(deps, user, 'limit');
  if (await handledBefore(deps.store, input.delivery)) return { kind: 'repeat' };
  const reason = checkReason(input.reason);
  const found = await target(deps, user, 'limit', input.query);
  if (found.kind !== 'form') return found;
  const { customer } = found;
  const amount = parseChatAmount(input.amountText, customer.currency);
  if (!amount.ok) throw new DomainError(amount.code, { ...amount.params });
  const fromMinor = customer.creditLimit.minor;
  const route = approvalRoute(deps.policy.approvals, {
    kind: 'limit',
    fromMinor,
    toMinor: amount.value,
    currency: customer.currency,
  });
  return createRequest(
    deps,
    chatRequester(user, input.delivery),
    {
      kind: 'limit',
      customer,
      payload: { fromMinor, toMinor: amount.value, currency: customer.currency },
      reason,
      route,
    },
    input.delivery,
  );
}

/** `/credit phase <customer> <phase> <reason>`: proposes a credit-phase move. */
export async function requestPhaseChange(
  deps: ApprovalDeps,
  user: User,
  input: {
    readonly query: string;
    readonly phaseText: string;
    readonly reason: string;
    readonly delivery?: Delivery;
  },
): Promise<RequestResult> {
  checkRequester(deps, user, 'phase');
  if (await handledBefore(deps.store, input.delivery)) return { kind: 'repeat' };
  const to = PHASES.find((p) => p === input.phaseText.trim().toLowerCase());
  if (!to) {
    throw new DomainError('errors.approval.unknown_phase', {
      value: input.phaseText,
      phases: PHASES.join(', '),
    });
  }
  const reason = checkReason(input.reason);
  const found = await target(deps, user, 'phase', input.query);
  if (found.kind !== 'form') return found;
  const { customer } = found;
  checkMove(customer.phase, to, { explicit: true });
  const route = approvalRoute(deps.policy.approvals, { kind: 'phase', to });
  return createRequest(
    deps,
    chatRequester(user, input.delivery),
    { kind: 'phase', customer, payload: { from: customer.phase, to }, reason, route },
    input.delivery,
  );
}

/** A proposal of the phase rules, asked for by the system with the rules that fired as the reason. */
export async function requestProposedMove(
  deps: ApprovalDeps,
  proposal: PhaseMoveProposal,
): Promise<RequestResult> {
  const customer = await customerNow(deps, proposal.customerId);
  checkMove(customer.phase, proposal.to, { explicit: true });
  const route = approvalRoute(deps.policy.approvals, { kind: 'phase', to: proposal.to });
  return createRequest(
    deps,
    { user: undefined, label: 'creditops', source: 'proposal', platform: null },
    {
      kind: 'phase',
      customer,
      payload: { from: customer.phase, to: proposal.to, reasons: proposal.reasons },
      // Stored for the audit trail; cards word the rules in the reader's language.
      reason: proposal.reasons.map((r) => r.rule).join(', '),
      route,
    },
    undefined,
  );
}

/**
 * Every move the phase rules propose today (strategic accounts apart), sent for approval
 * with the system as requester; a customer with a phase request already waiting is left alone.
 */
export async function requestProposals(
  deps: ApprovalDeps,
  options: { readonly asOf?: IsoDate } = {},
): Promise<{ requested: ApprovalView[]; waiting: ApprovalView[] }> {
  const report = await proposalsReport(deps, options);
  const requested: ApprovalView[] = [];
  const waiting: ApprovalView[] = [];
  for (const proposal of report.proposals) {
    const result = await requestProposedMove(deps, proposal);
    if (result.kind === 'requested') requested.push(result.view);
    if (result.kind === 'already_pending') waiting.push(result.view);
  }
  return { requested, waiting };
}

async function applyChange(
  store: Store,
  stored: StoredApproval,
  user: User,
  at: Date,
): Promise<{ before: object; after: object }> {
  const p = stored.payload;
  if (stored.kind === 'limit') {
    const fromMinor = Number(p.fromMinor);
    const toMinor = Number(p.toMinor);
    const applied = await store.approvals.applyLimit({
      customerId: stored.customerId,
      fromMinor,
      toMinor,
      requestId: stored.id,
      actor: actorOf(user),
      at,
    });
    if (!applied) throw new DomainError('errors.approval.stale', { id: stored.id });
    return { before: { creditLimitMinor: fromMinor }, after: { creditLimitMinor: toMinor } };
  }
  const from = p.from as Phase;
  const to = p.to as Phase;
  const effects = moveEffects(to);
  const applied = await store.approvals.applyPhase({
    customerId: stored.customerId,
    from,
    to,
    ...(effects.creditHold === undefined ? {} : { creditHold: effects.creditHold }),
    ...(effects.limitMinor === undefined ? {} : { limitMinor: effects.limitMinor }),
  });
  if (!applied) throw new DomainError('errors.approval.stale', { id: stored.id });
  return { before: { phase: from }, after: { phase: to, ...effects } };
}

/**
 * Approve or reject as `user`. Refusals (not theirs to decide, their own request, a second
 * approval by the same person, expired) change nothing; a request someone else decided
 * first comes back as `already_decided`.
 */
export async function decideApproval(
  deps: ApprovalDeps,
  user: User,
  input: {
    readonly requestId: number;
    readonly decision: 'approve' | 'reject';
    readonly reason?: string;
    readonly delivery?: Delivery;
  },
): Promise<DecisionResult> {
  const now = deps.clock.now();
  const reason = input.decision === 'reject' ? checkReason(input.reason ?? '') : null;
  type Outcome = 'approved' | 'rejected' | 'step_approved' | 'already_decided';
  type Decided = { kind: 'repeat' } | { kind: Outcome; stored: StoredApproval };
  const result = await deps.store.transaction(async (tx): Promise<Decided> => {
    if (
      input.delivery &&
      !(await tx.inbound.claim(input.delivery.platform, input.delivery.eventId))
    ) {
      return { kind: 'repeat' as const };
    }
    const stored = await tx.approvals.find(input.requestId);
    if (!stored) throw new DomainError('errors.approval.not_found', { id: input.requestId });
    if (stored.status !== 'pending') return { kind: 'already_decided' as const, stored };
    if (stored.expiresAt && stored.expiresAt <= now) {
      throw new DomainError('errors.approval.expired', { id: stored.id });
    }
    if (stored.requestedByUserId === user.id) throw new DomainError('errors.approval.self');
    if (stored.decidedUserIds.includes(user.id)) throw new DomainError('errors.approval.twice');
    const roles = stored.steps[stored.currentStep] ?? [];
    if (!roles.includes(user.role)) {
      throw new DomainError('errors.approval.role', { roles: roles.join(', '), role: user.role });
    }
    const last = stored.currentStep + 1 >= stored.steps.length;
    const outcome: Exclude<Outcome, 'already_decided'> =
      input.decision === 'reject' ? 'rejected' : last ? 'approved' : 'step_approved';
    const moved = await tx.approvals.advance({
      id: stored.id,
      expectedStep: stored.currentStep,
      outcome,
      userId: user.id,
      reason,
      at: now,
    });
    if (!moved) {
      const again = await tx.approvals.find(stored.id);
      return { kind: 'already_decided' as const, stored: again ?? stored };
    }
    await tx.approvals.recordDecision({
      id: stored.id,
      userId: user.id,
      decision: input.decision,
      reason,
      step: stored.currentStep,
      at: now,
    });
    const change = outcome === 'approved' ? await applyChange(tx, stored, user, now) : undefined;
    await tx.audit.record({
      actor: actorOf(user),
      action: `approval.${outcome}`,
      entityType: 'approval_request',
      entityId: String(stored.id),
      before: { status: 'pending', step: stored.currentStep },
      after: {
        status: outcome === 'step_approved' ? 'pending' : outcome,
        step: outcome === 'rejected' ? stored.currentStep : stored.currentStep + 1,
        reason,
      },
    });
    if (change) {
      await tx.audit.record({
        actor: actorOf(user),
        action: stored.kind === 'limit' ? 'customer.limit' : 'customer.phase',
        entityType: 'customer',
        entityId: String(stored.customerId),
        before: change.before,
        after: { ...change.after, approvalRequestId: stored.id },
      });
    }
    await tx.outbox.enqueue([
      ...cardMessages(deps, stored.id, 'update'),
      ...(outcome === 'step_approved' ? [] : await noticeMessages(tx, stored, outcome)),
    ]);
    const after = await tx.approvals.find(stored.id);
    return { kind: outcome, stored: after ?? stored };
  });
  if (result.kind === 'repeat') return result;
  return {
    kind: result.kind,
    view: toView(result.stored, await customerNow(deps, result.stored.customerId)),
  };
}

/** The requester (or an admin) withdraws a pending request. */
export async function cancelApproval(
  deps: ApprovalDeps,
  user: User,
  requestId: number,
): Promise<ApprovalView> {
  const now = deps.clock.now();
  const stored = await deps.store.transaction(async (tx) => {
    const found = await tx.approvals.find(requestId);
    if (!found) throw new DomainError('errors.approval.not_found', { id: requestId });
    if (found.requestedByUserId !== user.id && user.role !== 'admin') {
      throw new DomainError('errors.approval.cannot_cancel');
    }
    if (found.status !== 'pending') {
      throw new DomainError('errors.approval.closed', { id: requestId, status: found.status });
    }
    const moved = await tx.approvals.advance({
      id: requestId,
      expectedStep: found.currentStep,
      outcome: 'cancelled',
      userId: user.id,
      reason: null,
      at: now,
    });
    if (!moved)
      throw new DomainError('errors.approval.closed', { id: requestId, status: 'decided' });
    await tx.audit.record({
      actor: actorOf(user),
      action: 'approval.cancelled',
      entityType: 'approval_request',
      entityId: String(requestId),
      before: { status: 'pending' },
      after: { status: 'cancelled' },
    });
    await tx.outbox.enqueue(cardMessages(deps, requestId, 'update'));
    return (await tx.approvals.find(requestId)) ?? found;
  });
  return toView(stored, await customerNow(deps, stored.customerId));
}

/** Whether `user` may decide the request's current step now. */
export function mayDecide(stored: StoredApproval, user: User, now: Date): boolean {
  return (
    stored.status === 'pending' &&
    (stored.expiresAt === null || stored.expiresAt > now) &&
    stored.requestedByUserId !== user.id &&
    !stored.decidedUserIds.includes(user.id) &&
    (stored.steps[stored.currentStep] ?? []).includes(user.role)
  );
}

/** `/credit approvals`: what the caller may decide, oldest first. */
export async function listDecidable(deps: ApprovalDeps, user: User): Promise<ApprovalView[]> {
  const now = deps.clock.now();
  const mine = (await deps.store.approvals.pending()).filter((s) => mayDecide(s, user, now));
  const views: ApprovalView[] = [];
  for (const stored of mine) views.push(toView(stored, await customerNow(deps, stored.customerId)));
  return views;
}

/** Expiry and the half-time reminder: run on a timer (the scheduler takes this over later). */
export async function expireAndRemind(
  deps: ApprovalDeps,
): Promise<{ expired: number; reminded: number }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const expired = await tx.approvals.expire(now);
    for (const id of expired) {
      const stored = await tx.approvals.find(id);
      if (!stored) continue;
      await tx.audit.record({
        actor: 'system:approvals',
        action: 'approval.expired',
        entityType: 'approval_request',
        entityId: String(id),
        before: { status: 'pending' },
        after: { status: 'expired' },
      });
      await tx.outbox.enqueue([
        ...cardMessages(deps, id, 'update'),
        ...(await noticeMessages(tx, stored, 'expired')),
      ]);
    }
    const reminded = await tx.approvals.remind(now, deps.policy.approvals.expiry.reminderAtBp);
    for (const id of reminded) {
      await tx.outbox.enqueue(
        deps.policy.approvals.destinations.map((d) => ({
          platform: d.platform,
          channel: d.channel,
          kind: 'post' as const,
          payload: { type: 'approval_notice', requestId: id, event: 'reminder' },
          subjectType: 'approval_reminder',
          subjectId: String(id),
        })),
      );
    }
    return { expired: expired.length, reminded: reminded.length };
  });
}
