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
}

/** A reply of only text: help, confirmations, errors. */
export function messageCard(
  title: string,
  lines: readonly string[] = [],
  tone: Card['tone'] = 'normal',
): Card {
  return { title, lines, tone };
}
