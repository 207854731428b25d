import type { messagingApi } from '@line/bot-sdk';
import type { Card, CardAction, CardSection, CardTable } from '../../chat/card.ts';
import { STATUS_DOT as DOT, ELLIPSIS } from '../../chat/card-text.ts';
import type { Translate } from '../../chat/i18n.ts';
import type { StatusColour } from '../../domain/credit.ts';
import { jsonBytes, LINE_LIMITS as L } from './line-limits.ts';

// Card → Flex Message. A card is one bubble; a pick list is a carousel of one bubble per
// choice. Every text is cut to its limit here, and a bubble too big for LINE loses content
// from the end (lines, then sections, then fields) behind a pointer to the full view, so
// LINE never refuses what the core says. Buttons are postback actions carrying the short
// opaque token of the core's action, never the command itself.

type Component = messagingApi.FlexComponent;
type Bubble = messagingApi.FlexBubble;

const COLOUR: Record<StatusColour, string> = {
  green: '#1E8E3E',
  yellow: '#B06000',
  red: '#C5221F',
};
const ERROR_COLOUR = '#C5221F';
const MUTED = '#8C8C8C';
const DANGER_BUTTON = '#C5221F';
/** Flex refuses an empty text; an empty table cell shows this instead. */
const BLANK = '—';
/** Tables wider than this read as one block per row on a phone, not as a grid. */
const GRID_COLUMNS = 3;

/** At most `max` characters (code points, so never half a surrogate pair). */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + ELLIPSIS;
}

function text(value: string, style: Omit<messagingApi.FlexText, 'type' | 'text'> = {}) {
  const shown = value.trim() === '' ? BLANK : cut(value, L.componentText);
  return { type: 'text', text: shown, wrap: true, ...style } satisfies messagingApi.FlexText;
}

function box(
  layout: messagingApi.FlexBox['layout'],
  contents: Component[],
  style: Omit<messagingApi.FlexBox, 'type' | 'layout' | 'contents'> = {},
): messagingApi.FlexBox {
  return { type: 'box', layout, contents, ...style };
}

export interface LineRenderOptions {
  /** tokens[i] is the opaque token of card.actions[i], carried as the postback data. */
  readonly tokens: readonly string[];
  readonly t: Translate;
  /** The command that shows the whole card, named when a card has to be shortened. */
  readonly fullView?: string;
}

function button(action: CardAction, token: string, label = action.label): Component {
  // A token is short by design; a long one would be refused by LINE, so it is a bug here.
  if (token.length > L.postbackData) throw new Error('action token over 300 characters');
  const danger = action.style === 'danger';
  return {
    type: 'button',
    height: 'sm',
    style: action.style ? 'primary' : 'secondary',
    ...(danger ? { color: DANGER_BUTTON } : {}),
    action: {
      type: 'postback',
      label: cut(label, L.actionLabel),
      data: token,
      // Shown as the person's own message: in a group everyone sees who decided what.
      displayText: cut(action.label, L.displayText),
    },
  };
}

function buttons(card: Card, tokens: readonly string[]): Component[] {
  const out: Component[] = [];
  (card.actions ?? []).forEach((action, i) => {
    const token = tokens[i];
    // No token, no way to run it: leave the button out.
    if (token !== undefined) out.push(button(action, token));
  });
  return out;
}

function head(card: Card): Component[] {
  const error = card.tone === 'error';
  const out: Component[] = [
    text(error ? `⚠️ ${card.title}` : card.title, {
      weight: 'bold',
      size: 'md',
      ...(error ? { color: ERROR_COLOUR } : {}),
    }),
  ];
  if (card.status) {
    out.push(
      text(`${DOT[card.status.colour]} ${card.status.label}`, {
        size: 'sm',
        weight: 'bold',
        color: COLOUR[card.status.colour],
      }),
    );
  }
  if (card.subtitle) out.push(text(card.subtitle, { size: 'xs', color: MUTED }));
  return out;
}

function field(label: string, value: string): Component {
  return box(
    'horizontal',
    [
      text(label, { size: 'sm', color: MUTED, flex: 2 }),
      text(value, { size: 'sm', flex: 3, align: 'end' }),
    ],
    { spacing: 'md' },
  );
}

/** A table as rows: a grid when narrow, else one block per row of "column: value" pairs. */
function tableRows(table: CardTable): Component[] {
  const align = (i: number) => (table.align?.[i] === 'right' ? 'end' : 'start');
  if (table.columns.length <= GRID_COLUMNS) {
    const row = (cells: readonly string[], style: { color?: string; weight?: 'bold' }) =>
      box(
        'horizontal',
        cells.map((cell, i) => text(cell, { size: 'xs', flex: 1, align: align(i), ...style })),
        { spacing: 'sm' },
      );
    return [row(table.columns, { color: MUTED }), ...table.rows.map((cells) => row(cells, {}))];
  }
  return table.rows.map((cells) =>
    box(
      'vertical',
      [
        text(cells[0] ?? '', { size: 'sm', weight: 'bold' }),
        ...table.columns
          .slice(1)
          .map((column, i) =>
            box('horizontal', [
              text(column, { size: 'xs', color: MUTED, flex: 2 }),
              text(cells[i + 1] ?? '', { size: 'xs', flex: 3, align: 'end' }),
            ]),
          ),
      ],
      { margin: 'sm' },
    ),
  );
}

/** Text lines; an empty line becomes a gap before the next. */
function lineTexts(lines: readonly string[], size: 'xs' | 'sm' = 'sm'): Component[] {
  const out: Component[] = [];
  let gap = false;
  for (const line of lines) {
    if (line.trim() === '') {
      gap = true;
      continue;
    }
    out.push(text(line, { size, ...(gap ? { margin: 'lg' } : {}) }));
    gap = false;
  }
  return out;
}

/** What a card turns into, before the budget decides what stays. */
interface Content {
  readonly head: Component[];
  readonly fields: Component[];
  /** Section headings, rows and lines, flat, so a long table is cut at its end. */
  readonly sections: Component[];
  readonly headings: Set<Component>;
  readonly lines: Component[];
  footer: Component | undefined;
  readonly buttons: Component[];
}

function sectionPieces(sections: readonly CardSection[], headings: Set<Component>): Component[] {
  const out: Component[] = [];
  for (const section of sections) {
    const heading = text(section.heading, { size: 'sm', weight: 'bold', margin: 'lg' });
    headings.add(heading);
    out.push(
      { type: 'separator', margin: 'lg' },
      heading,
      ...(section.table ? tableRows(section.table) : []),
      ...lineTexts(section.lines ?? [], 'xs'),
    );
  }
  return out;
}

function content(card: Card, tokens: readonly string[]): Content {
  const headings = new Set<Component>();
  const chartLines = card.chart ? [card.chart.altText] : [];
  return {
    head: head(card),
    fields: (card.fields ?? []).map((f) => field(f.label, f.value)),
    sections: sectionPieces(card.sections ?? [], headings),
    headings,
    lines: lineTexts([...chartLines, ...(card.lines ?? [])]),
    footer: card.footer ? text(card.footer, { size: 'xxs', color: MUTED }) : undefined,
    buttons: buttons(card, tokens),
  };
}

function assemble(c: Content, pointer: Component | undefined, size: Bubble['size']): Bubble {
  // A section's separator and heading never end the body without what they head.
  const body = [...c.fields, ...c.sections, ...c.lines, ...(pointer ? [pointer] : [])];
  const footer = [...c.buttons, ...(c.footer ? [c.footer] : [])];
  return {
    type: 'bubble',
    size,
    header: box('vertical', c.head, { spacing: 'sm' }),
    ...(body.length > 0 ? { body: box('vertical', body, { spacing: 'sm' }) } : {}),
    ...(footer.length > 0 ? { footer: box('vertical', footer, { spacing: 'sm' }) } : {}),
  };
}

/** Drops the least needed remaining piece; its JSON size, or 0 when only what must stay is left. */
function dropOne(c: Content): number {
  const popped = c.lines.pop() ?? popSection(c) ?? c.fields.pop();
  if (popped) return jsonBytes(popped) + 1;
  if (c.footer) {
    const size = jsonBytes(c.footer) + 1;
    c.footer = undefined;
    return size;
  }
  // The first buttons always stay: they are how the person acts on the card.
  const extra = c.buttons.length > 4 ? c.buttons.pop() : undefined;
  return extra ? jsonBytes(extra) + 1 : 0;
}

function popSection(c: Content): Component | undefined {
  const popped = c.sections.pop();
  // A heading (and its separator) left with nothing under it goes too.
  let last = c.sections.at(-1);
  while (last && (c.headings.has(last) || last.type === 'separator')) {
    c.sections.pop();
    last = c.sections.at(-1);
  }
  return popped;
}

/** The card as one bubble within `budget` bytes; a pointer says when content had to go. */
function fittedBubble(
  c: Content,
  options: LineRenderOptions,
  budget: number,
  size: Bubble['size'],
) {
  if (jsonBytes(assemble(c, undefined, size)) <= budget) return assemble(c, undefined, size);
  const pointer = text(
    options.fullView
      ? options.t('line.truncated', { command: options.fullView })
      : options.t('line.truncated_plain'),
    { size: 'xxs', color: MUTED, margin: 'lg' },
  );
  // Drop by the pieces' own sizes first (no re-measuring per piece), then confirm exactly.
  let over = jsonBytes(assemble(c, pointer, size)) - budget;
  while (over > 0) {
    const freed = dropOne(c);
    if (freed === 0) break;
    over -= freed;
  }
  while (jsonBytes(assemble(c, pointer, size)) > budget && dropOne(c) > 0);
  return assemble(c, pointer, size);
}

/** The notification text: the title, its status, then what the card says first. */
export function altTextOf(card: Card): string {
  const mark = card.tone === 'error' ? '⚠️ ' : card.status ? `${DOT[card.status.colour]} ` : '';
  const label = card.status ? ` — ${card.status.label}` : '';
  const parts = [
    `${mark}${card.title}${label}`,
    ...(card.fields ?? []).map((f) => `${f.label}: ${f.value}`),
    ...(card.chart ? [card.chart.altText] : []),
    ...(card.lines ?? []).filter((line) => line.trim() !== ''),
  ];
  return cut(parts.join('\n'), L.altText);
}

/**
 * A list to pick from (the core's "several customers match"): only lines and plain
 * buttons, at least two, no figures. Approval lists style their buttons and stay one card.
 */
function isPickList(card: Card): boolean {
  const actions = card.actions ?? [];
  return (
    actions.length >= 2 &&
    actions.every((a) => a.style === undefined) &&
    !card.fields?.length &&
    !card.sections?.length &&
    !card.status &&
    !card.form &&
    !card.chart
  );
}

/** The intro bubble (title and lines) and one bubble per choice, at most 12 in all. */
function pickCarousel(card: Card, options: LineRenderOptions): messagingApi.FlexCarousel {
  const { t, tokens } = options;
  const choices = (card.actions ?? []).flatMap((action, i) => {
    const token = tokens[i];
    return token === undefined ? [] : [{ action, token }];
  });
  const shown = choices.slice(0, L.carouselBubbles - 1);
  const more = choices.length - shown.length;
  const intro = fittedBubble(
    {
      head: head(card),
      fields: [],
      sections: [],
      headings: new Set(),
      lines: lineTexts([
        ...(card.lines ?? []),
        ...(more > 0 ? [t('line.pick_more', { count: more })] : []),
      ]),
      footer: undefined,
      buttons: [],
    },
    options,
    // Twelve bubbles share the carousel's 50 KB; the choices are small.
    L.carouselBytes - L.carouselBubbles * 1_500,
    'kilo',
  );
  const bubbles: Bubble[] = shown.map(({ action, token }) => ({
    type: 'bubble',
    size: 'kilo',
    body: box('vertical', [text(action.label, { size: 'sm', weight: 'bold' })]),
    footer: box('vertical', [button(action, token, t('line.pick_choose'))]),
  }));
  return { type: 'carousel', contents: [intro, ...bubbles] };
}

/** A card as one Flex message: pure, so the same card always gives the same JSON. */
export function renderCard(card: Card, options: LineRenderOptions): messagingApi.FlexMessage {
  const contents = isPickList(card)
    ? pickCarousel(card, options)
    : fittedBubble(content(card, options.tokens), options, L.bubbleBytes, 'giga');
  return { type: 'flex', altText: altTextOf(card), contents };
}

/**
 * LINE cannot edit a sent message: a card's later state (an approval decided) is a short
 * follow-up under it, with the status and whatever buttons still apply.
 */
export function renderUpdate(card: Card, options: LineRenderOptions): messagingApi.FlexMessage {
  const note = text(options.t('line.updated'), { size: 'xs', color: MUTED });
  const bubble = fittedBubble(
    {
      head: head(card),
      fields: [],
      sections: [],
      headings: new Set(),
      lines: [note],
      footer: undefined,
      buttons: buttons(card, options.tokens),
    },
    options,
    L.bubbleBytes,
    'mega',
  );
  return { type: 'flex', altText: altTextOf({ ...card, fields: [], lines: [] }), contents: bubble };
}
