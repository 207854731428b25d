import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Locale } from '../../app/locales.ts';
import type { Bot, ChatCaller } from '../../chat/bot.ts';
import type { CardForm, CardFormField } from '../../chat/card.ts';
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

const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** A select takes the option's value or its label, whichever the person typed. */
function answerFor(field: CardFormField, typed: string): string | undefined {
  const answer = typed.trim();
  if (answer === '') return undefined;
  if (field.kind !== 'select') return answer;
  const option = field.options?.find(
    (o) => fold(o.value) === fold(answer) || fold(o.label) === fold(answer),
  );
  return option?.value ?? answer;
}

/** Prints the field's prompt (and a select's choices) and reads the answer. */
async function ask(field: CardFormField, io: FollowUpIo): Promise<string | undefined | null> {
  if (field.kind === 'select') {
    for (const o of field.options ?? []) io.write(`  - ${o.value}: ${o.label}\n`);
  }
  io.write(`${field.label}: `);
  const line = await io.nextLine();
  // null: the input ended, so there is nobody left to answer.
  return line === undefined ? null : answerFor(field, line);
}

/**
 * A terminal has no forms: ask each required field on the following lines, submit, and on
 * a refusal print what was wrong and ask those fields once more. End of input gives up
 * without a word, as it does between commands.
 */
async function followUp(form: CardForm, caller: ChatCaller, io: FollowUpIo): Promise<void> {
  const values: Record<string, string | undefined> = {};
  const askAll = async (fields: readonly CardFormField[]) => {
    for (const field of fields) {
      const answer = await ask(field, io);
      if (answer === null) return false;
      values[field.id] = answer;
    }
    return true;
  };
  const submit = () =>
    io.bot.submit({ ...caller, formId: form.id, context: form.context, values: { ...values } });
  const required = form.fields.filter((field) => !field.optional);
  if (!(await askAll(required))) return;
  let result = await submit();
  if (result.kind === 'invalid') {
    const { errors } = result;
    io.write(errorLines(form, errors));
    if (!(await askAll(form.fields.filter((field) => field.id in errors)))) return;
    result = await submit();
  }
  io.write(
    result.kind === 'invalid' ? errorLines(form, result.errors) : `${renderCard(result.card)}\n`,
  );
}

function errorLines(form: CardForm, errors: Readonly<Record<string, string>>): string {
  return Object.entries(errors)
    .map(([id, message]) => {
      const label = form.fields.find((field) => field.id === id)?.label;
      return `⚠ ${label ? `${label}: ` : ''}${message}\n`;
    })
    .join('');
}
