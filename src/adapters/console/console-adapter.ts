import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Locale } from '../../app/locales.ts';
import type { Bot, ChatCaller } from '../../chat/bot.ts';
import type { CardForm, CardFormField } from '../../chat/card.ts';
import {
  answerFollowUp,
  type FollowUp,
  followUpSubmission,
  refusalLines,
  retryFollowUp,
  startFollowUp,
} from '../../chat/follow-up.ts';
import { parseConsoleLine } from './console-parse.ts';
import { renderCard } from './console-render.ts';

export interface ConsoleAdapterOptions {
  readonly bot: Bot;
  readonly input: Readable;
  readonly output: Writable;
  readonly userName: string;
  readonly locale: Locale;
  /** Shown before each command when a person is typing at a terminal. */
  readonly prompt?: string;
}

export interface ConsoleAdapter {
  /** Resolves when the input ends (end of a pipe, Ctrl-D). */
  run(): Promise<void>;
}

/** stdin → commands → cards on stdout, one line at a time, in order; works from a pipe. */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  return {
    async run() {
      const interactive = options.prompt !== undefined;
      const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
      // One reader for commands and follow-up answers alike, so an answer is never taken
      // for a command. Undefined: the input ended.
      const reader = lines[Symbol.asyncIterator]();
      const nextLine = async () => {
        const next = await reader.next();
        return next.done ? undefined : next.value;
      };
      const write = (text: string) => options.output.write(text);
      const who = { userName: options.userName, locale: options.locale };
      if (interactive) write(options.prompt ?? '');
      for (let line = await nextLine(); line !== undefined; line = await nextLine()) {
        if (line.trim() !== '') {
          const request = parseConsoleLine(line, who);
          const card = await options.bot.handle(request);
          write(`${renderCard(card)}\n`);
          if (card.form?.followUp) {
            const { text: _command, ...caller } = request;
            await followUp(card.form, caller, { bot: options.bot, write, nextLine });
          }
        }
        if (interactive) write(options.prompt ?? '');
      }
      lines.close();
    },
  };
}

interface FollowUpIo {
  readonly bot: Bot;
  readonly write: (text: string) => void;
  readonly nextLine: () => Promise<string | undefined>;
}

/** Prints the field's prompt (and a select's choices) and reads the line that answers it. */
async function ask(field: CardFormField, io: FollowUpIo): Promise<string | undefined> {
  if (field.kind === 'select') {
    for (const o of field.options ?? []) io.write(`  - ${o.value}: ${o.label}\n`);
  }
  io.write(`${field.label}: `);
  return io.nextLine();
}

/**
 * A terminal has no forms: ask each required field on the following lines, submit, and on
 * a refusal print what was wrong and ask those fields once more. End of input gives up
 * without a word, as it does between commands.
 */
async function followUp(form: CardForm, caller: ChatCaller, io: FollowUpIo): Promise<void> {
  let state: FollowUp | undefined = startFollowUp(form, caller);
  while (state) {
    const field = state.fields[0];
    if (field) {
      const line = await ask(field, io);
      // The input ended, so there is nobody left to answer.
      if (line === undefined) return;
      state = answerFollowUp(state, line);
      continue;
    }
    const result = await io.bot.submit(followUpSubmission(state));
    if (result.kind === 'done') {
      io.write(`${renderCard(result.card)}\n`);
      return;
    }
    io.write(
      refusalLines(form, result.errors)
        .map((line) => `${line}\n`)
        .join(''),
    );
    state = retryFollowUp(state, result.errors);
  }
}
