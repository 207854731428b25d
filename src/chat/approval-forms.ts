import type { ApprovalView } from '../app/approval-ports.ts';
import type { Locale } from '../app/locales.ts';
import type { Phase } from '../domain/credit.ts';
import type { Money } from '../domain/money.ts';
import { allowedMoves } from '../domain/phases.ts';
import {
  type ApprovalCardContext,
  ageText,
  instantText,
  openCustomer,
  rolesText,
  summaryText,
  waitingFor,
} from './approval-card.ts';
import { MAX_REASON_LENGTH, PHASE_WORDS } from './approval-command.ts';
import type { Card, CardFormField } from './card.ts';
import type { CardContext } from './customer-card.ts';
import { formatMoney } from './format.ts';

// The requester's side, and the reject reason: the forms behind *Request limit change*,
// *Propose phase change* and *Reject*, and the answers to a request. Slack opens the forms
// as modals; the console asks the reject reason on the next line; everywhere else the
// card's lines teach the typed command, with examples for that customer.

export interface LimitFormCustomer {
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly creditLimit: Money;
  readonly recommendedLimit: Money | null;
}

export interface PhaseFormCustomer {
  readonly code: string;
  readonly legalName: string;
  readonly phase: Phase;
}

function reasonField({ t }: CardContext, hint: string): CardFormField {
  return {
    id: 'reason',
    label: t('approval.form.reason'),
    kind: 'text',
    multiline: true,
    maxLength: MAX_REASON_LENGTH,
    hint,
  };
}

const formButtons = ({ t }: CardContext) => ({
  submitLabel: t('approval.form.submit'),
  cancelLabel: t('approval.form.cancel'),
});

/** `/credit limit <customer>` alone: the new limit and the reason. */
export function limitRequestForm(customer: LimitFormCustomer, ctx: CardContext): Card {
  const { t, locale } = ctx;
  const { code, currency } = customer;
  const current = formatMoney(customer.creditLimit, locale);
  const recommended = customer.recommendedLimit
    ? formatMoney(customer.recommendedLimit, locale)
    : undefined;
  return {
    title: t('approval.limit_form.title', { customer: `${customer.legalName} (${code})` }),
    fields: [
      { label: t('approval.limit_form.current'), value: current },
      {
        label: t('limits.recommended'),
        value: recommended ?? t('approval.limit_form.no_recommendation'),
      },
    ],
    lines: [
      t('approval.limit_form.syntax', { code }),
      t('approval.limit_form.amounts'),
      '',
      t('approval.form.examples'),
      t('approval.limit_form.example', { code }),
    ],
    form: {
      id: 'limit',
      title: t('approval.limit_form.modal_title'),
      ...formButtons(ctx),
      context: code,
      fields: [
        {
          id: 'amount',
          label: t('approval.limit_form.amount', { currency }),
          kind: 'amount',
          hint: recommended
            ? t('approval.limit_form.amount_hint', { currency, current, recommended })
            : t('approval.limit_form.amount_hint_unassessed', { currency, current }),
        },
        reasonField(ctx, t('approval.limit_form.reason_hint')),
      ],
    },
  };
}

/** The word a person of this language types for a phase: the first of its words. */
function phaseWord(phase: Phase, locale: Locale): string {
  return PHASE_WORDS[phase][locale][0] ?? phase;
}

/** `/credit phase <customer>` alone: the phases it may move to (as a decision) and the reason. */
export function phaseRequestForm(customer: PhaseFormCustomer, ctx: CardContext): Card {
  const { t, locale } = ctx;
  const { code } = customer;
  const targets = allowedMoves(customer.phase, { explicit: true });
  const [example = 'watch'] = targets;
  return {
    title: t('approval.phase_form.title', { customer: `${customer.legalName} (${code})` }),
    fields: [{ label: t('card.phase'), value: t(`phase.${customer.phase}`) }],
    lines: [
      t('approval.phase_form.syntax', { code }),
      t('approval.phase_form.targets', {
        words: targets
          .map((p) =>
            t('approval.phase_form.target', { word: phaseWord(p, locale), name: t(`phase.${p}`) }),
          )
          .join(t('list.separator')),
      }),
      '',
      t('approval.form.examples'),
      t(`approval.phase_form.example_${example}`, { code, word: phaseWord(example, locale) }),
    ],
    form: {
      id: 'phase',
      title: t('approval.phase_form.modal_title'),
      ...formButtons(ctx),
      context: code,
      fields: [
        {
          id: 'phase',
          label: t('approval.phase_form.phase'),
          kind: 'select',
          options: targets.map((p) => ({ value: p, label: t(`phase.${p}`) })),
          ...(targets.length === 1 ? { initial: example } : {}),
        },
        reasonField(ctx, t('approval.phase_form.reason_hint')),
      ],
    },
  };
}

/** `/credit reject <id>` without a reason: the requester is owed one. */
export function rejectForm(requestId: number, ctx: CardContext): Card {
  const { t } = ctx;
  return {
    title: t('approval.reject_form.title', { id: requestId }),
    lines: [t('approval.reject_form.syntax', { id: requestId })],
    form: {
      id: 'reject',
      title: t('approval.reject_form.modal_title', { id: requestId }),
      submitLabel: t('approval.reject_form.submit'),
      cancelLabel: t('approval.form.cancel'),
      context: String(requestId),
      followUp: true,
      fields: [
        {
          id: 'reason',
          label: t('approval.reject_form.reason'),
          kind: 'text',
          multiline: true,
          maxLength: MAX_REASON_LENGTH,
          hint: t('approval.reject_form.reason_hint'),
        },
      ],
    },
  };
}

/** Who the request waits for, step by step: "Credit manager or Director → Director". */
function stepsText(view: ApprovalView, ctx: CardContext): string {
  return view.steps.map((roles) => rolesText(roles, ctx)).join(' → ');
}

/** The requester's confirmation that the request went out. */
export function requestedCard(view: ApprovalView, ctx: ApprovalCardContext): Card {
  const { t } = ctx;
  const lines = [
    summaryText(view, ctx),
    view.steps.length > 1
      ? t('approval.requested.waits_steps', {
          count: view.steps.length,
          roles: stepsText(view, ctx),
        })
      : t('approval.requested.waits', { roles: stepsText(view, ctx) }),
  ];
  if (view.expiresAt) {
    lines.push(t('approval.requested.expires', { when: instantText(view.expiresAt, ctx) }));
  }
  lines.push(t('approval.requested.cancel_hint', { id: view.id }));
  return {
    title: t('approval.requested.title', { id: view.id }),
    lines,
    actions: [
      { label: t('approval.action.cancel'), command: `/credit cancel ${view.id}` },
      openCustomer(view, ctx),
    ],
  };
}

/** A second request for a customer while one of the same kind waits: point to that one. */
export function alreadyPendingCard(view: ApprovalView, ctx: ApprovalCardContext): Card {
  const { t } = ctx;
  return {
    title: t(`approval.already.title_${view.kind}`, {
      customer: view.customer.legalName,
      id: view.id,
    }),
    lines: [
      summaryText(view, ctx),
      t('approval.already.requested', {
        requester: view.requester.label,
        age: ageText(view.createdAt, ctx),
      }),
      waitingFor(view, ctx),
      t('approval.already.hint', { id: view.id }),
    ],
    actions: [openCustomer(view, ctx)],
  };
}
