import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeNow, listenLocally, poll, readBody } from './fake-server.ts';

// A fake Telegram Bot API for end-to-end tests: POST /bot<token>/<method> with JSON or
// multipart bodies, answered as Telegram answers (`{ok, result}` or `{ok:false, error_code,
// description, parameters}`). It checks what Telegram checks that an adapter bug is most
// likely to trip — HTML that does not parse, text over 4,096, callback_data over 64 bytes,
// an edit that changes nothing — and it can fail a call on demand (429, 500, 502).

export const FAKE_BOT = {
  id: 7000000001,
  is_bot: true,
  first_name: 'creditops',
  username: 'creditops_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as const;

export type TelegramFault =
  | { readonly kind: 'rate_limited'; readonly retryAfter: number }
  /** A Bot API error answer (e.g. 400 "Bad Request: chat not found"). */
  | { readonly kind: 'error'; readonly code: number; readonly description: string }
  /** 500 with Telegram's JSON error body. */
  | { readonly kind: 'server_error' }
  /** 502 from a proxy in front: an HTML page, no Bot API answer at all. */
  | { readonly kind: 'bad_gateway' };

export interface RecordedFile {
  readonly field: string;
  readonly name: string;
  readonly bytes: Buffer;
}

export interface RecordedCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly files: readonly RecordedFile[];
  readonly token: string;
  readonly at: Date;
  readonly status: number;
  /** Telegram's description when the call was refused. */
  readonly error?: string;
  /** What Telegram answered when it took the call (the sent Message, `true`…). */
  readonly result?: unknown;
}

type Args = Record<string, unknown>;
type Reply = { status: number; body: Args | string };

interface StoredMessage {
  readonly text: string;
  readonly markup: string;
}

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code']);
const BLOCKS = new Set(['pre', 'blockquote', 'tg-spoiler', 'tg-emoji', 'span']);

/** What Telegram shows of an HTML text, or the reason it cannot parse it. */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const open: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i] as string;
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return { error: `unclosed start tag at byte offset ${i}` };
      const tag = /^<(\/?)([a-z-]+)(\s[^<>]*)?>$/.exec(html.slice(i, end + 1));
      const name = tag?.[2] ?? '';
      if (!tag || !(TAGS.has(name) || BLOCKS.has(name))) {
        return { error: `unsupported start tag "${html.slice(i + 1, end)}" at byte offset ${i}` };
      }
      if (tag[1]) {
        if (open.pop() !== name) return { error: `unmatched end tag at byte offset ${i}` };
      } else open.push(name);
      i = end + 1;
    } else if (c === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/.exec(html.slice(i, i + 12));
      if (!entity) return { error: `unsupported entity at byte offset ${i}` };
      const name = entity[1] as string;
      const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
      text += named[name] ?? String.fromCodePoint(Number(`0${name.slice(1)}`));
      i += entity[0].length;
    } else if (c === '>') {
      return { error: `unexpected end tag character at byte offset ${i}` };
    } else {
      text += c;
      i += 1;
    }
  }
  if (open.length > 0)
    return { error: `can't find end tag corresponding to start tag "${open.pop()}"` };
  return { text };
}

const badRequest = (description: string): Reply => ({
  status: 400,
  body: { ok: false, error_code: 400, description: `Bad Request: ${description}` },
});

function faultReply(fault: TelegramFault): Reply {
  switch (fault.kind) {
    case 'rate_limited':
      return {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${fault.retryAfter}`,
          parameters: { retry_after: fault.retryAfter },
        },
      };
    case 'error':
      return {
        status: fault.code,
        body: { ok: false, error_code: fault.code, description: fault.description },
      };
    case 'server_error':
      return {
        status: 500,
        body: { ok: false, error_code: 500, description: 'Internal Server Error' },
      };
    case 'bad_gateway':
      return { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
  }
}

/** The checks Telegram makes on an inline keyboard; undefined when it would take it. */
function keyboardProblem(markup: unknown): string | undefined {
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (rows === undefined) return undefined;
  if (!Array.isArray(rows)) return "can't parse reply keyboard markup JSON object";
  let count = 0;
  for (const row of rows as unknown[][]) {
    if (row.length > 8) return 'too many buttons in a row';
    for (const button of row as { text?: string; callback_data?: string }[]) {
      count += 1;
      if (!button.text) return 'text buttons are unallowed in the inline keyboard';
      const data = button.callback_data ?? '';
      const bytes = Buffer.byteLength(data, 'utf8');
      if (bytes < 1 || bytes > 64) return 'BUTTON_DATA_INVALID';
    }
  }
  return count > 100 ? 'REPLY_MARKUP_TOO_LONG' : undefined;
}

/**
 * multipart/form-data as grammY writes it (`content-disposition:form-data;name="x"`, no
 * spaces, which undici's strict parser refuses and Telegram takes). A file part carries a
 * filename; the field that names it says `attach://<part name>`.
 */
function parseMultipart(contentType: string, body: Buffer): { args: Args; files: RecordedFile[] } {
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const args: Args = {};
  const files: RecordedFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // CRLF after, before
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const value = part.subarray(split + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
    if (filename !== undefined)
      files.push({ field: name, name: filename, bytes: Buffer.from(value) });
    else {
      const text = value.toString('utf8');
      args[name] = /^[[{]/.test(text) ? JSON.parse(text) : text;
    }
    start = next;
  }
  return { args, files };
}

/** JSON, a form (grammY sends files as multipart), or a query string. */
function parseArgs(contentType: string, body: Buffer): { args: Args; files: RecordedFile[] } {
  if (body.length === 0) return { args: {}, files: [] };
  if (contentType.startsWith('application/json')) {
    return { args: JSON.parse(body.toString('utf8')) as Args, files: [] };
  }
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(contentType, body);
  return { args: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: [] };
}

export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  /** The Bot API root to give grammY (`client.apiRoot`). */
  readonly apiRoot: string;
  private readonly faults = new Map<string, TelegramFault[]>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly refused = new Map<string, Reply>();
  private readonly updates: Args[] = [];
  private readonly pollers = new Set<() => void>();
  private lastMessageId = 100;

  constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
  ) {
    this.apiRoot = url;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((error: unknown) =>
        this.send(res, { status: 500, body: String(error) }),
      );
    });
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The messages sent to one chat, in order (sendMessage calls Telegram took). */
  sentTo(chatId: number | string): RecordedCall[] {
    return this.callsTo('sendMessage').filter(
      (c) => c.status === 200 && String(c.args.chat_id) === String(chatId),
    );
  }

  /** The next call of `method` (only that one) fails this way; several faults queue up. */
  failNext(method: string, fault: TelegramFault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  /** Every later message to this chat is refused: the bot was blocked, or the chat is gone. */
  refuseChat(chatId: number | string, reason: 'blocked' | 'not_found'): void {
    this.refused.set(
      String(chatId),
      reason === 'blocked'
        ? {
            status: 403,
            body: {
              ok: false,
              error_code: 403,
              description: 'Forbidden: bot was blocked by the user',
            },
          }
        : badRequest('chat not found'),
    );
  }

  /** Long polls waiting right now (a getUpdates call is recorded only once answered). */
  get polling(): number {
    return this.pollers.size;
  }

  /** Queues an update for getUpdates (long polling). */
  pushUpdate(update: Args): void {
    this.updates.push(update);
    for (const wake of this.pollers) wake();
  }

  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition') {
    return poll(check, timeoutMs, () => `waiting for ${what}; ${this.describe()}`);
  }

  waitForCall(method: string, count = 1, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitFor(
      () => this.callsTo(method)[count - 1],
      timeoutMs,
      `${method} call #${count}`,
    );
  }

  /** The id Telegram gave the message a sendMessage call sent. */
  messageId(call: RecordedCall | undefined): number {
    const id = (call?.result as { message_id?: unknown } | undefined)?.message_id;
    if (typeof id !== 'number') throw new Error(`${call?.method ?? 'no call'} sent no message`);
    return id;
  }

  /** Clears recordings, faults and refusals; the messages sent so far stay editable. */
  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
    this.refused.clear();
  }

  async close(): Promise<void> {
    for (const wake of this.pollers) wake();
    await closeNow(this.server);
  }

  private describe(): string {
    const calls = this.calls.map((c) => (c.status === 200 ? c.method : `${c.method}(${c.status})`));
    return `calls so far: [${calls.join(', ')}]`;
  }

  private send(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    const isText = typeof reply.body === 'string';
    res.writeHead(reply.status, { 'content-type': isText ? 'text/html' : 'application/json' });
    res.end(isText ? reply.body : JSON.stringify(reply.body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
    const body = await readBody(req);
    if (!match) return this.send(res, { status: 404, body: `fake Telegram has no ${path}` });
    const [, token = '', method = ''] = match;
    if (token !== this.token) {
      return this.send(res, {
        status: 401,
        body: { ok: false, error_code: 401, description: 'Unauthorized' },
      });
    }
    const { args, files } = parseArgs(req.headers['content-type'] ?? '', body);
    const at = new Date();
    const fault = this.faults.get(method)?.shift();
    const reply = fault ? faultReply(fault) : await this.answer(method, args, files, res);
    const error = typeof reply.body === 'object' ? reply.body.description : undefined;
    const result = typeof reply.body === 'object' ? reply.body.result : undefined;
    this.calls.push({
      method,
      args,
      files,
      token,
      at,
      status: reply.status,
      ...(typeof error === 'string' ? { error } : {}),
      ...(result !== undefined ? { result } : {}),
    });
    this.send(res, reply);
  }

  private async answer(
    method: string,
    args: Args,
    files: RecordedFile[],
    res: ServerResponse,
  ): Promise<Reply> {
    const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
    switch (method) {
      case 'getMe':
        return ok(FAKE_BOT);
      case 'getUpdates':
        return ok(await this.nextUpdates(args, res));
      case 'sendMessage':
        return this.sendMessage(args, ok);
      case 'editMessageText':
        return this.editMessageText(args, ok);
      case 'sendPhoto': {
        const refusal = this.refused.get(String(args.chat_id));
        if (refusal) return refusal;
        if (files.length === 0 && typeof args.photo !== 'string')
          return badRequest('there is no photo in the request');
        return ok({
          ...this.newMessage(args),
          photo: [{ file_id: 'photo-1', width: 1, height: 1 }],
        });
      }
      default:
        // setMyCommands, setWebhook, deleteWebhook, answerCallbackQuery, deleteMessage…
        return ok(true);
    }
  }

  private textProblem(args: Args): string | undefined {
    const text = typeof args.text === 'string' ? args.text : '';
    let shown = text;
    if (args.parse_mode === 'HTML') {
      const parsed = parseTelegramHtml(text);
      if ('error' in parsed) return `can't parse entities: ${parsed.error}`;
      shown = parsed.text;
    }
    if (shown.trim() === '') return 'message text is empty';
    if (shown.length > 4096) return 'message is too long';
    return keyboardProblem(args.reply_markup);
  }

  private newMessage(args: Args): Args {
    this.lastMessageId += 1;
    const id = Number(args.chat_id);
    return {
      message_id: this.lastMessageId,
      date: Math.floor(Date.now() / 1000),
      chat:
        id < 0
          ? { id, type: 'supergroup', title: 'Credit team' }
          : { id, type: 'private', first_name: 'Person' },
      from: FAKE_BOT,
    };
  }

  private sendMessage(args: Args, ok: (result: unknown) => Reply): Reply {
    const refusal = this.refused.get(String(args.chat_id));
    if (refusal) return refusal;
    const problem = this.textProblem(args);
    if (problem) return badRequest(problem);
    const message = this.newMessage(args);
    const markup = JSON.stringify(args.reply_markup ?? null);
    this.messages.set(`${String(args.chat_id)}:${String(message.message_id)}`, {
      text: String(args.text),
      markup,
    });
    return ok({ ...message, text: args.text });
  }

  private editMessageText(args: Args, ok: (result: unknown) => Reply): Reply {
    const key = `${String(args.chat_id)}:${String(args.message_id)}`;
    const stored = this.messages.get(key);
    if (!stored) return badRequest('message to edit not found');
    const problem = this.textProblem(args);
    if (problem) return badRequest(problem);
    const markup = JSON.stringify(args.reply_markup ?? null);
    if (stored.text === args.text && stored.markup === markup) {
      return badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    this.messages.set(key, { text: String(args.text), markup });
    return ok({
      message_id: Number(args.message_id),
      date: 0,
      chat: { id: Number(args.chat_id), type: 'supergroup' },
      text: args.text,
    });
  }

  /** Long polling: what is queued from `offset`, else wait up to `timeout` seconds for it. */
  private async nextUpdates(args: Args, res: ServerResponse): Promise<Args[]> {
    const offset = Number(args.offset ?? 0);
    while (offset > 0 && (this.updates[0]?.update_id as number) < offset) this.updates.shift();
    if (this.updates.length > 0 || Number(args.timeout ?? 0) === 0) return [...this.updates];
    await new Promise<void>((resolve) => {
      const wake = () => {
        this.pollers.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(wake, Number(args.timeout) * 1000);
      this.pollers.add(wake);
      res.once('close', wake);
    });
    return [...this.updates];
  }
}

export async function startFakeTelegram(token: string): Promise<FakeTelegram> {
  const { server, url } = await listenLocally();
  return new FakeTelegram(server, url, token);
}
