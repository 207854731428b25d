import type { Locale } from '../app/locales.ts';
import type { StatusColour } from '../domain/credit.ts';

// The one shape the core speaks in. Each adapter renders a Card to its platform (Block Kit,
// Flex Message, Telegram HTML, plain text) within that platform's limits; the core never
// formats for a platform.

export interface CardField {
  readonly label: string;
  readonly value: string;
}

export interface CardTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; numbers read best right-aligned. */
  readonly align?: readonly ('left' | 'right')[];
}

export interface CardSection {
  readonly heading: string;
  readonly table?: CardTable;
  readonly lines?: readonly string[];
}

export interface CardAction {
  readonly label: string;
  /** The command the action runs, as a user would type it. */
  readonly command: string;
  readonly style?: 'primary' | 'danger';
}

export interface CardFormOption {
  readonly value: string;
  readonly label: string;
}

/** One input of a form; `id` names the value handed back on submit. */
export interface CardFormField {
  readonly id: string;
  readonly label: string;
  /** select: one of `options`; date: a calendar day (YYYY-MM-DD); amount and text: free text. */
  readonly kind: 'select' | 'date' | 'amount' | 'text';
  readonly options?: readonly CardFormOption[];
  readonly optional?: boolean;
  readonly multiline?: boolean;
  /** Characters. */
  readonly maxLength?: number;
  /** Shown under the input: what to write. */
  readonly hint?: string;
  readonly placeholder?: string;
  readonly initial?: string;
}

/**
 * A form the person fills in: Slack opens it as a modal; platforms without forms show the
 * card's lines (the typed grammar) instead. On submit the adapter hands back `id`, `context`
 * and the values by field id.
 */
export interface CardForm {
  readonly id: 'contact' | 'limit' | 'phase' | 'reject';
  readonly title: string;
  readonly submitLabel: string;
  readonly cancelLabel: string;
  /** What the core needs back on submit (e.g. the customer code); opaque to adapters. */
  readonly context: string;
  readonly fields: readonly CardFormField[];
  /**
   * Platforms without forms ask for each required field on a following message instead of
   * showing the typed grammar: the answer is one short text (a reason to reject), and a
   * second command line would mean retyping the request number.
   */
  readonly followUp?: boolean;
}

/** One bar of a chart: a category (an aging bucket) and its colour. */
export interface CardChartCategory {
  readonly label: string;
  /** `#rrggbb`; the aging chart runs from green (not yet due) to red (oldest). */
  readonly colour: string;
}

/** One panel of a chart: a currency's amounts, never summed with another currency's. */
export interface CardChartSeries {
  /** The panel's heading, e.g. "JPY · total ¥19,700,000". */
  readonly label: string;
  readonly currency: string;
  /** Integer minor units, one per category, in the categories' order. */
  readonly amountsMinor: readonly number[];
}

/**
 * A bar chart as data, one panel per currency with the same categories: platforms that post
 * images draw it (src/io/aging-chart.ts); the others have the same figures as text already.
 */
export interface CardChart {
  readonly title: string;
  /** What the chart shows, in words, for screen readers. */
  readonly altText: string;
  /** A file name for platforms that upload it, e.g. aging-2026-11-23.png. */
  readonly fileName: string;
  /** Axis numbers are formatted for this language. */
  readonly locale: Locale;
  readonly categories: readonly CardChartCategory[];
  readonly series: readonly CardChartSeries[];
}

export interface Card {
  readonly title: string;
  readonly subtitle?: string;
  readonly status?: { readonly colour: StatusColour; readonly label: string };
  readonly fields?: readonly CardField[];
  readonly sections?: readonly CardSection[];
  readonly lines?: readonly string[];
  readonly actions?: readonly CardAction[];
  readonly footer?: string;
  /** `error` replies are shown as such (and never posted to a channel for everyone). */
  readonly tone?: 'normal' | 'error';
  /** Platforms with forms open this instead of showing the card. */
  readonly form?: CardForm;
  /** Platforms that post images send this as one; a card with a chart says nothing else. */
  readonly chart?: CardChart;
  /** `share`: the answer is meant for everyone in the channel, not only the asker. */
  readonly visibility?: 'private' | 'channel';
  /** The language the card is written in; adapters word their own additions in it. */
  readonly locale?: Locale;
  /** The answer to a delivery already handled (a platform retry, a double submit): drop it. */
  readonly repeat?: boolean;
}

/** A reply of only text: help, confirmations, errors. */
export function messageCard(
  title: string,
  lines: readonly string[] = [],
  tone: Card['tone'] = 'normal',
): Card {
  return { title, lines, tone };
}
