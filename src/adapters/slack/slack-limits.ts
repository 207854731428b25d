import type { types } from '@slack/bolt';

// Block Kit limits. Sources: @slack/types 3.2.0 (dist/block-kit/blocks.d.ts,
// block-elements.d.ts, composition-objects.d.ts, extensions.d.ts, views.d.ts) and
// docs.slack.dev/reference/block-kit. Where the two differ the stricter or newer one wins, and
// the line says so.
export const SLACK_LIMITS = {
  /** docs.slack.dev/reference/block-kit/blocks: 50 in a message … */
  messageBlocks: 50,
  /** … 100 in a modal or the Home tab (views.d.ts: "Max of 100 blocks"). */
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /** A context element is a text object (≤3000); we hold it to 2000 to leave room in the message. */
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  /** The option-object reference says 150; composition-objects.d.ts still says 75 (older docs). */
  optionValue: 150,
  inputMaxLength: 3000,
  privateMetadata: 3000,
  callbackId: 255,
  /** A message's `text` is cut at 40,000; as a notification fallback it stays short. */
  fallbackText: 3000,
  /**
   * Our own budget for all text in a message's blocks: Slack refuses messages with
   * msg_blocks_too_long at about 13,000 characters, below every documented limit
   * (slackapi/bolt-js#2509).
   */
  messageChars: 12_000,
} as const;

export type SlackSurface = 'message' | 'modal' | 'home';

type AnyBlock = types.KnownBlock | types.Block;
type View = types.ModalView | types.HomeView;

interface TextLike {
  readonly type?: string;
  readonly text?: string;
}

interface ElementLike {
  readonly type?: string;
  readonly text?: TextLike;
  readonly value?: string;
  readonly action_id?: string;
  readonly placeholder?: TextLike;
  readonly options?: readonly { readonly text?: TextLike; readonly value?: string }[];
  readonly initial_option?: { readonly value?: string };
  readonly max_length?: number;
  readonly initial_date?: string;
}

/** Collects what is wrong, and counts the text, while the blocks are walked. */
class Audit {
  readonly problems: string[] = [];
  chars = 0;
  readonly actionIds = new Set<string>();
  readonly blockIds = new Set<string>();

  text(where: string, text: TextLike | undefined, max: number): void {
    const s = text?.text ?? '';
    this.chars += s.length;
    if (s.trim() === '') this.problems.push(`${where}: empty text`);
    if (s.length > max) this.problems.push(`${where}: ${s.length} characters > ${max}`);
  }

  most(where: string, count: number, max: number, what: string): void {
    if (count > max) this.problems.push(`${where}: ${count} ${what} > ${max}`);
  }

  actionId(where: string, id: string | undefined): void {
    if (id === undefined) return;
    if (id.length > SLACK_LIMITS.actionId) {
      this.problems.push(
        `${where}: action_id of ${id.length} characters > ${SLACK_LIMITS.actionId}`,
      );
    }
    if (this.actionIds.has(id)) this.problems.push(`${where}: action_id ${id} used twice`);
    this.actionIds.add(id);
  }
}

function auditButton(audit: Audit, where: string, button: ElementLike): void {
  audit.text(`${where} text`, button.text, SLACK_LIMITS.buttonText);
  const value = button.value ?? '';
  if (value.length > SLACK_LIMITS.buttonValue) {
    audit.problems.push(
      `${where}: value of ${value.length} characters > ${SLACK_LIMITS.buttonValue}`,
    );
  }
  audit.actionId(where, button.action_id);
}

function auditInputElement(audit: Audit, where: string, element: ElementLike): void {
  audit.actionId(where, element.action_id);
  if (element.placeholder) {
    audit.text(`${where} placeholder`, element.placeholder, SLACK_LIMITS.placeholder);
  }
  if (element.type === 'static_select') {
    const options = element.options ?? [];
    audit.most(where, options.length, SLACK_LIMITS.selectOptions, 'options');
    options.forEach((option, i) => {
      audit.text(`${where} option ${i + 1}`, option.text, SLACK_LIMITS.optionText);
      const value = option.value ?? '';
      if (value === '' || value.length > SLACK_LIMITS.optionValue) {
        audit.problems.push(
          `${where} option ${i + 1}: value of ${value.length} characters (1–${SLACK_LIMITS.optionValue})`,
        );
      }
    });
    const initial = element.initial_option?.value;
    if (initial !== undefined && !options.some((o) => o.value === initial)) {
      audit.problems.push(`${where}: initial_option ${initial} is not among the options`);
    }
  }
  if (element.max_length !== undefined && element.max_length > SLACK_LIMITS.inputMaxLength) {
    audit.problems.push(
      `${where}: max_length ${element.max_length} > ${SLACK_LIMITS.inputMaxLength}`,
    );
  }
  if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(element.initial_date)) {
    audit.problems.push(`${where}: initial_date ${element.initial_date} is not YYYY-MM-DD`);
  }
}

function auditBlock(audit: Audit, block: AnyBlock, where: string): void {
  if (block.block_id !== undefined) {
    if (block.block_id.length > SLACK_LIMITS.blockId) {
      audit.problems.push(`${where}: block_id of ${block.block_id.length} characters > 255`);
    }
    if (audit.blockIds.has(block.block_id)) {
      audit.problems.push(`${where}: block_id ${block.block_id} used twice`);
    }
    audit.blockIds.add(block.block_id);
  }
  const b = block as types.KnownBlock;
  switch (b.type) {
    case 'header':
      audit.text(where, b.text, SLACK_LIMITS.headerText);
      return;
    case 'section': {
      if (b.text) audit.text(where, b.text, SLACK_LIMITS.sectionText);
      const fields = b.fields ?? [];
      if (!b.text && fields.length === 0) audit.problems.push(`${where}: neither text nor fields`);
      audit.most(where, fields.length, SLACK_LIMITS.sectionFields, 'fields');
      fields.forEach((f, i) => {
        audit.text(`${where} field ${i + 1}`, f, SLACK_LIMITS.sectionFieldText);
      });
      return;
    }
    case 'context':
      audit.most(where, b.elements.length, SLACK_LIMITS.contextElements, 'elements');
      b.elements.forEach((e, i) => {
        if ('text' in e) audit.text(`${where} element ${i + 1}`, e, SLACK_LIMITS.contextText);
      });
      return;
    case 'actions':
      audit.most(where, b.elements.length, SLACK_LIMITS.actionsElements, 'elements');
      b.elements.forEach((e, i) => {
        if (e.type === 'button') auditButton(audit, `${where} button ${i + 1}`, e as ElementLike);
      });
      return;
    case 'input':
      audit.text(`${where} label`, b.label, SLACK_LIMITS.inputLabel);
      if (b.hint) audit.text(`${where} hint`, b.hint, SLACK_LIMITS.inputHint);
      auditInputElement(audit, `${where} ${b.element.type}`, b.element as ElementLike);
      return;
    default:
      return;
  }
}

function auditView(audit: Audit, surface: SlackSurface, view: View): void {
  if (view.type !== surface) audit.problems.push(`view of type ${view.type} on the ${surface}`);
  const metadata = view.private_metadata ?? '';
  if (metadata.length > SLACK_LIMITS.privateMetadata) {
    audit.problems.push(`private_metadata of ${metadata.length} characters > 3000`);
  }
  if ((view.callback_id ?? '').length > SLACK_LIMITS.callbackId) {
    audit.problems.push(`callback_id longer than ${SLACK_LIMITS.callbackId}`);
  }
  if (view.type !== 'modal') return;
  const title = view.title.text;
  if (title.trim() === '' || title.length > SLACK_LIMITS.modalTitle) {
    audit.problems.push(`modal title of ${title.length} characters (1–${SLACK_LIMITS.modalTitle})`);
  }
  for (const [name, text, max] of [
    ['submit', view.submit?.text, SLACK_LIMITS.modalSubmit],
    ['close', view.close?.text, SLACK_LIMITS.modalClose],
  ] as const) {
    if (text !== undefined && (text.trim() === '' || text.length > max)) {
      audit.problems.push(`modal ${name} of ${text.length} characters (1–${max})`);
    }
  }
  if (!view.submit && view.blocks.some((b) => b.type === 'input')) {
    audit.problems.push('a modal with inputs needs a submit label');
  }
}

/**
 * Every Block Kit limit the blocks (or view) break on the given surface, in words, such as
 * "block 3 (section): 11 fields > 10". Empty when Slack would take them.
 */
export function blockKitViolations(
  surface: SlackSurface,
  content: readonly AnyBlock[] | View,
): string[] {
  const audit = new Audit();
  const blocks: readonly AnyBlock[] = Array.isArray(content) ? content : (content as View).blocks;
  if (!Array.isArray(content)) auditView(audit, surface, content as View);
  const maxBlocks = surface === 'message' ? SLACK_LIMITS.messageBlocks : SLACK_LIMITS.viewBlocks;
  if (blocks.length > maxBlocks) {
    audit.problems.push(`${blocks.length} blocks > ${maxBlocks} in a ${surface}`);
  }
  blocks.forEach((block, i) => {
    auditBlock(audit, block, `block ${i + 1} (${block.type})`);
  });
  if (surface === 'message' && audit.chars > SLACK_LIMITS.messageChars) {
    audit.problems.push(`${audit.chars} characters of text > ${SLACK_LIMITS.messageChars}`);
  }
  return audit.problems;
}
