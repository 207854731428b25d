import type { messagingApi } from '@line/bot-sdk';

// Messaging API limits. Sources: line/line-openapi messaging-api.yml (messages per request,
// postback data and displayText); the @line/bot-sdk FlexCarousel docs ("Max: 12 bubbles");
// developers.line.biz/en/reference/messaging-api for the Flex JSON sizes and the action
// label, which no machine-readable spec carries: those are held to the strictest reading.
export const LINE_LIMITS = {
  /** reply and push take 1–5 messages (messaging-api.yml `maxItems: 5`). */
  messagesPerRequest: 5,
  carouselBubbles: 12,
  /** JSON of one bubble: 30 KB; counted here in UTF-8 bytes of 1,000, the stricter reading. */
  bubbleBytes: 30_000,
  /** JSON of one carousel: 50 KB. */
  carouselBytes: 50_000,
  /**
   * A Flex message's alternative text, shown in notifications and the chat list. LINE takes
   * more; what a notification shows is far less, so ours stays short.
   */
  altText: 400,
  /** An action's label: 20 characters on templates and quick replies, the strictest place. */
  actionLabel: 20,
  postbackData: 300,
  displayText: 300,
  textMessage: 5000,
  /** Our own cap for one text component, so one long line cannot crowd out a whole card. */
  componentText: 2000,
} as const;

type Json = Record<string, unknown>;

/** JSON size in UTF-8 bytes, what LINE's KB limits count. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** Collects what is wrong while the components are walked. */
class Audit {
  readonly problems: string[] = [];

  most(where: string, count: number, max: number, what: string): void {
    if (count > max) this.problems.push(`${where}: ${count} ${what} > ${max}`);
  }

  text(where: string, text: unknown, max: number): void {
    if (typeof text !== 'string' || text.trim() === '') {
      this.problems.push(`${where}: empty text`);
      return;
    }
    this.most(where, [...text].length, max, 'characters');
  }
}

function auditAction(audit: Audit, where: string, action: Json | undefined): void {
  if (!action) return;
  audit.text(`${where} label`, action.label, LINE_LIMITS.actionLabel);
  if (action.type === 'postback') {
    const data = typeof action.data === 'string' ? action.data : '';
    audit.most(`${where} data`, data.length, LINE_LIMITS.postbackData, 'characters');
    if (action.displayText !== undefined) {
      audit.text(`${where} displayText`, action.displayText, LINE_LIMITS.displayText);
    }
  }
}

function auditComponent(audit: Audit, where: string, component: Json): void {
  switch (component.type) {
    case 'box': {
      const contents = (component.contents ?? []) as Json[];
      contents.forEach((c, i) => {
        auditComponent(audit, `${where}.${i}`, c);
      });
      return;
    }
    case 'text':
      audit.text(where, component.text, LINE_LIMITS.componentText);
      return;
    case 'button':
      auditAction(audit, `${where} button`, component.action as Json | undefined);
      return;
    default:
      return;
  }
}

function auditBubble(audit: Audit, where: string, bubble: Json): void {
  audit.most(where, jsonBytes(bubble), LINE_LIMITS.bubbleBytes, 'bytes of JSON');
  for (const block of ['header', 'hero', 'body', 'footer'] as const) {
    const part = bubble[block] as Json | undefined;
    if (part) auditComponent(audit, `${where} ${block}`, part);
  }
}

/**
 * Every Messaging API limit the messages of one request break, in words, such as
 * "message 1 carousel: 13 bubbles > 12". Empty when LINE would take them.
 */
export function flexViolations(messages: readonly messagingApi.Message[]): string[] {
  const audit = new Audit();
  if (messages.length === 0) audit.problems.push('no messages');
  audit.most('request', messages.length, LINE_LIMITS.messagesPerRequest, 'messages');
  messages.forEach((message, i) => {
    const where = `message ${i + 1}`;
    if (message.type === 'text') {
      audit.text(where, message.text, LINE_LIMITS.textMessage);
      return;
    }
    if (message.type !== 'flex') return;
    audit.text(`${where} altText`, message.altText, LINE_LIMITS.altText);
    const container = message.contents as unknown as Json;
    if (container.type === 'carousel') {
      const bubbles = (container.contents ?? []) as Json[];
      audit.most(`${where} carousel`, bubbles.length, LINE_LIMITS.carouselBubbles, 'bubbles');
      audit.most(
        `${where} carousel`,
        jsonBytes(container),
        LINE_LIMITS.carouselBytes,
        'bytes of JSON',
      );
      bubbles.forEach((bubble, j) => {
        auditBubble(audit, `${where} bubble ${j + 1}`, bubble);
      });
    } else {
      auditBubble(audit, `${where} bubble`, container);
    }
  });
  return audit.problems;
}
