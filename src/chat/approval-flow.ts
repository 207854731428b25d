import {
  type ApprovalDeps,
  cancelApproval,
  type DecisionResult,
  decideApproval,
  listDecidable,
  prepareLimitRequest,
  preparePhaseRequest,
  type RequestResult,
  requestLimitChange,
  requestPhaseChange,
} from '../app/approvals.ts';
import type { Delivery } from '../app/contacts.ts';
import type { User } from '../app/ports.ts';
import { isDomainError } from '../domain/errors.ts';
import { approvalCard, approvalsListCard } from './approval-card.ts';
import type { ApprovalCommand } from './approval-command.ts';
import { phaseFromWord } from './approval-command.ts';
import {
  alreadyPendingCard,
  limitRequestForm,
  phaseRequestForm,
  rejectForm,
  requestedCard,
} from './approval-forms.ts';
import { type Card, messageCard } from './card.ts';
import { type CardContext, chooseCard, noMatchCard } from './customer-card.ts';

// The approval commands and forms between the chat grammar and the use cases: requests,
// decisions, withdrawals and the list, answered with the approval cards.

export type FormAnswer =
  | { readonly kind: 'invalid'; readonly errors: Readonly<Record<string, string>> }
  | { readonly kind: 'done'; readonly card: Card };

const limitCommand = (code: string) => `/credit limit ${code}`;
const phaseCommand = (code: string) => `/credit phase ${code}`;

function repeatCard(ctx: CardContext): Card {
  return { ...messageCard(ctx.t('delivery.repeat')), repeat: true };
}

function requestAnswer(
  result: RequestResult,
  ctx: CardContext,
  now: Date,
  pick: (code: string) => string,
): Card {
  switch (result.kind) {
    case 'requested':
      return requestedCard(result.view, { ...ctx, now });
    case 'already_pending':
      return alreadyPendingCard(result.view, { ...ctx, now });
    case 'repeat':
      return repeatCard(ctx);
    case 'choose':
      return chooseCard(result.query, result.candidates, ctx, pick);
    case 'none':
      return noMatchCard(result.query, result.suggestions, ctx, pick);
  }
}

function decisionAnswer(result: DecisionResult, ctx: CardContext, now: Date): Card {
  if (result.kind === 'repeat') return repeatCard(ctx);
  const card = approvalCard(result.view, { ...ctx, now });
  if (result.kind !== 'already_decided') return card;
  return {
    ...card,
    lines: [
      ctx.t('approval.already_decided', {
        id: result.view.id,
        status: ctx.t(`approval.state.${result.view.status}`),
      }),
      ...(card.lines ?? []),
    ],
  };
}

export async function runApprovalCommand(
  deps: ApprovalDeps,
  command: ApprovalCommand,
  user: User,
  ctx: CardContext,
  delivery: Delivery | undefined,
): Promise<Card> {
  const now = deps.clock.now();
  const where = delivery ? { delivery } : {};
  switch (command.kind) {
    case 'limit_request':
      return requestAnswer(
        await requestLimitChange(deps, user, { ...command, ...where }),
        ctx,
        now,
        limitCommand,
      );
    case 'phase_request':
      return requestAnswer(
        await requestPhaseChange(deps, user, { ...command, ...where }),
        ctx,
        now,
        phaseCommand,
      );
    case 'limit_form': {
      const target = await prepareLimitRequest(deps, user, command.query);
      if (target.kind === 'form') return limitRequestForm(target.customer, ctx);
      return requestAnswer(target, ctx, now, limitCommand);
    }
    case 'phase_form': {
      const target = await preparePhaseRequest(deps, user, command.query);
      if (target.kind === 'form') return phaseRequestForm(target.customer, ctx);
      return requestAnswer(target, ctx, now, phaseCommand);
    }
    case 'approve':
      return decisionAnswer(
        await decideApproval(deps, user, { requestId: command.id, decision: 'approve', ...where }),
        ctx,
        now,
      );
    case 'reject':
      if (command.reason === undefined) return rejectForm(command.id, ctx);
      return decisionAnswer(
        await decideApproval(deps, user, {
          requestId: command.id,
          decision: 'reject',
          reason: command.reason,
          ...where,
        }),
        ctx,
        now,
      );
    case 'cancel_request':
      return approvalCard(await cancelApproval(deps, user, command.id), { ...ctx, now });
    case 'approvals_list':
      return approvalsListCard(await listDecidable(deps, user), { ...ctx, now });
  }
}

/** Which form field a refusal belongs to, so the person sees it next to what to correct. */
function fieldOf(code: string, amountField: string): string | undefined {
  if (code.startsWith('errors.amount.') || code === 'errors.approval.no_change') return amountField;
  if (code === 'errors.approval.reason_required' || code === 'errors.approval.reason_too_long') {
    return 'reason';
  }
  if (code.startsWith('errors.phase.') || code === 'errors.approval.unknown_phase') return 'phase';
  return undefined;
}

/** A submitted limit, phase or reject form. */
export async function submitApprovalForm(
  deps: ApprovalDeps,
  form: {
    readonly formId: 'limit' | 'phase' | 'reject';
    readonly context: string;
    readonly values: Readonly<Record<string, string | undefined>>;
  },
  user: User,
  ctx: CardContext,
  delivery: Delivery | undefined,
): Promise<FormAnswer> {
  const { values } = form;
  const reason = values.reason ?? '';
  let command: ApprovalCommand;
  if (form.formId === 'limit') {
    command = {
      kind: 'limit_request',
      query: form.context,
      amountText: values.amount ?? '',
      reason,
    };
  } else if (form.formId === 'phase') {
    const phase = phaseFromWord(values.phase ?? '');
    if (!phase) return { kind: 'invalid', errors: { phase: ctx.t('errors.form.required') } };
    command = { kind: 'phase_request', query: form.context, phaseText: phase, reason };
  } else {
    command = { kind: 'reject', id: Number(form.context), reason };
  }
  try {
    return { kind: 'done', card: await runApprovalCommand(deps, command, user, ctx, delivery) };
  } catch (error) {
    const field = isDomainError(error) ? fieldOf(error.code, 'amount') : undefined;
    if (!field || !isDomainError(error)) throw error;
    return { kind: 'invalid', errors: { [field]: ctx.t(error.code, error.params) } };
  }
}
