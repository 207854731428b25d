import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket, { WebSocketServer } from 'ws';
import { closeNow, listenLocally, poll, readBody } from './fake-server.ts';
import { SLACK_IDS } from './slack-requests.ts';

// A fake Slack for end-to-end tests: the Web API under /api/, response_url endpoints and, on
// request, a Socket Mode WebSocket. The real SDKs talk to it over HTTP; tests read what it recorded.

export type SlackFault =
  | { readonly kind: 'ok_false'; readonly error: string }
  | { readonly kind: 'rate_limited'; readonly retryAfter: number }
  | { readonly kind: 'server_error' };

export interface RecordedCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly token: string | undefined;
  readonly at: Date;
  readonly status: number;
  /** Slack's error code when the call was refused (`ok: false`). */
  readonly error?: string;
}

export interface RecordedResponse {
  readonly id: string;
  readonly body: unknown;
  readonly at: Date;
  readonly status: number;
}

/** A file sent through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
export interface FakeSlackUpload {
  readonly fileId: string;
  readonly filename: string;
  /** The length the client declared when it asked for the upload URL. */
  readonly length: number;
  readonly altText: string | undefined;
  /** What reached the upload URL; undefined until it did. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal: where the file was shared, under which title. */
  channel?: string;
  title?: string;
}

export interface FakeSlackUser {
  readonly locale?: string;
  readonly realName?: string;
  readonly tz?: string;
}

export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketSendOptions {
  readonly retryAttempt?: number;
  readonly retryReason?: string;
  readonly timeoutMs?: number;
}

type Args = Record<string, unknown>;
type Reply = { status: number; body: Args | string; headers?: Record<string, string> };

const HELLO = {
  type: 'hello',
  num_connections: 1,
  debug_info: { host: 'fake', approximate_connection_time: 18060 },
  connection_info: { app_id: SLACK_IDS.app },
};

/** Socket Mode: one WebSocket client (Bolt opens one), greeted with Slack's hello frame. */
export class FakeSocketMode {
  readonly acks: SocketAck[] = [];
  private client: WebSocket | undefined;

  constructor(private readonly wss: WebSocketServer | undefined) {
    wss?.on('connection', (ws) => {
      ws.on('message', (data) => this.receive(String(data)));
      ws.send(JSON.stringify(HELLO), () => {
        this.client = ws;
      });
    });
  }

  /** Resolves once a client has connected and been sent the hello frame. */
  connected(timeoutMs = 5000): Promise<void> {
    return poll(
      () => this.requireServer() && this.client?.readyState === WebSocket.OPEN,
      timeoutMs,
      () => 'waiting for a Socket Mode client to connect',
    ).then(() => undefined);
  }

  /** Delivers an envelope and resolves with the client's ack frame `{ envelope_id, payload? }`. */
  async send(type: SocketEnvelopeType, payload: Args, options: SocketSendOptions = {}) {
    this.requireServer();
    const ws = this.client;
    if (ws?.readyState !== WebSocket.OPEN) {
      throw new Error('fake Slack socket: no client connected (await socket.connected() first)');
    }
    const envelopeId = randomUUID();
    const retry =
      type === 'events_api' || options.retryAttempt !== undefined
        ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' }
        : {};
    // Slack only takes a response payload in acks of commands and interactions.
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...retry,
    };
    ws.send(JSON.stringify(envelope));
    return poll(
      () => this.acks.find((a) => a.envelope_id === envelopeId),
      options.timeoutMs ?? 5000,
      () =>
        `waiting for the ack of ${type} envelope ${envelopeId} (${this.acks.length} acks so far)`,
    );
  }

  async close(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    await Promise.all([...wss.clients].map((ws) => closeGently(ws)));
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  private receive(text: string): void {
    const frame = parseJson(text) as SocketAck | undefined;
    if (typeof frame?.envelope_id === 'string') this.acks.push(frame);
  }

  get enabled(): boolean {
    return this.wss !== undefined;
  }

  private requireServer(): true {
    if (!this.wss) throw new Error('fake Slack socket: start it with { socketMode: true }');
    return true;
  }
}

/**
 * Bolt's `app.stop()` returns before its close handshake ends; cutting the socket then makes the
 * client log a WebSocket error, so let the handshake finish and only cut stragglers.
 */
function closeGently(ws: WebSocket, timeoutMs = 1000): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, timeoutMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** web-api sends objects (blocks, view, attachments) as JSON strings inside form fields. */
function parseArgs(contentType: string, raw: string): Args {
  if (raw === '') return {};
  if (contentType.startsWith('application/json')) return (parseJson(raw) ?? {}) as Args;
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return { raw };
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? (parseJson(value) ?? value) : value;
  }
  return args;
}

function send(res: ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === 'string';
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/plain' : 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(isText ? reply.body : JSON.stringify(reply.body));
}

function faultReply(fault: SlackFault): Reply {
  switch (fault.kind) {
    case 'ok_false':
      return { status: 200, body: { ok: false, error: fault.error } };
    case 'rate_limited':
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(fault.retryAfter) },
      };
    case 'server_error':
      return { status: 500, body: 'Internal Server Error' };
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export interface FakeSlackOptions {
  readonly socketMode?: boolean;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  /** Files by upload, in the order their upload URLs were asked for. */
  readonly uploads: FakeSlackUpload[] = [];
  readonly socket: FakeSocketMode;
  readonly apiUrl: string;
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly faults = new Map<string, SlackFault[]>();
  private readonly delays = new Map<string, number[]>();
  private readonly responseFaults: number[] = [];
  private messages = 0;
  private views = 0;

  constructor(
    private readonly server: Server,
    readonly url: string,
    wss: WebSocketServer | undefined,
  ) {
    this.apiUrl = `${url}/api/`;
    this.socket = new FakeSocketMode(wss);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((error: unknown) =>
        send(res, { status: 500, body: String(error) }),
      );
    });
  }

  responseUrl(id: string): string {
    return `${this.url}/response_url/${encodeURIComponent(id)}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Profile for users.info; `locale: undefined` makes the answer carry no locale at all. */
  setUser(id: string, user: FakeSlackUser): void {
    this.users.set(id, user);
  }

  /** The next call of `method` (only that one) fails this way; several faults queue up. */
  failNext(method: string, fault: SlackFault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  delayNext(method: string, ms: number): void {
    this.delays.set(method, [...(this.delays.get(method) ?? []), ms]);
  }

  /** The next POST to any response_url gets this HTTP status instead of 200. */
  failNextResponse(status: number): void {
    this.responseFaults.push(status);
  }

  /** Polls `check` every 10 ms; on timeout the error lists everything recorded so far. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition') {
    return poll(check, timeoutMs, () => `waiting for ${what}; ${this.describe()}`);
  }

  waitForCall(method: string, count = 1, timeoutMs?: number): Promise<RecordedCall> {
    const what = `${method} call #${count}`;
    return this.waitFor(() => this.callsTo(method)[count - 1], timeoutMs, what);
  }

  waitForResponse(id?: string, count = 1, timeoutMs?: number): Promise<RecordedResponse> {
    const what = `response_url${id === undefined ? '' : ` ${id}`} POST #${count}`;
    const matching = () => this.responses.filter((r) => id === undefined || r.id === id);
    return this.waitFor(() => matching()[count - 1], timeoutMs, what);
  }

  /** Clears recordings and queued faults and delays; users set with setUser stay. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.uploads.length = 0;
    this.socket.acks.length = 0;
    this.faults.clear();
    this.delays.clear();
    this.responseFaults.length = 0;
  }

  async close(): Promise<void> {
    await this.socket.close();
    await closeNow(this.server);
  }

  private describe(): string {
    const calls = this.calls.map((c) =>
      c.status === 200 && !c.error ? c.method : `${c.method}(${c.error ?? c.status})`,
    );
    const responses = this.responses.map((r) => r.id);
    const acks = this.socket.acks.length > 0 ? `; socket acks: ${this.socket.acks.length}` : '';
    return `calls so far: [${calls.join(', ')}]; response_url POSTs: [${responses.join(', ')}]${acks}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const body = await readBody(req);
    const raw = body.toString('utf8');
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      // Slack's upload URL takes the raw bytes (or a multipart form; our client sends bytes).
      const upload = this.uploads.find((u) => u.fileId === path.slice('/upload/'.length));
      if (!upload) return send(res, { status: 404, body: 'unknown upload' });
      upload.bytes = body;
      return send(res, { status: 200, body: `OK - ${body.length}` });
    }
    if (req.method === 'POST' && path.startsWith('/api/')) {
      return send(res, await this.callApi(path.slice('/api/'.length), req, raw));
    }
    if (req.method === 'POST' && path.startsWith('/response_url/')) {
      const id = decodeURIComponent(path.slice('/response_url/'.length));
      const status = this.responseFaults.shift() ?? 200;
      this.responses.push({ id, body: parseJson(raw) ?? raw, at: new Date(), status });
      return send(res, { status, body: status === 200 ? 'ok' : 'invalid_payload' });
    }
    send(res, { status: 404, body: `fake Slack has no ${req.method} ${path}` });
  }

  private async callApi(method: string, req: IncomingMessage, raw: string): Promise<Reply> {
    const at = new Date();
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const delay = this.delays.get(method)?.shift();
    if (delay) await sleep(delay);
    const fault = this.faults.get(method)?.shift();
    const reply = fault ? faultReply(fault) : { status: 200, body: this.answer(method, args) };
    const error = typeof reply.body === 'object' ? str(reply.body.error) : undefined;
    const token = bearer ?? str(args.token);
    this.calls.push({ method, args, token, at, status: reply.status, ...(error ? { error } : {}) });
    return reply;
  }

  private answer(method: string, args: Args): Args {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${SLACK_IDS.teamDomain}.slack.com/`,
          team: 'Acme',
          user: 'creditops',
          team_id: SLACK_IDS.team,
          user_id: SLACK_IDS.botUser,
          bot_id: SLACK_IDS.bot,
        };
      case 'users.info':
        return { ok: true, user: this.userInfo(str(args.user) ?? '', args.include_locale) };
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, name: 'general', is_channel: true } };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        return this.post(method, args);
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text ?? '' };
      case 'files.getUploadURLExternal':
        return this.uploadUrl(args);
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      case 'views.open':
      case 'views.update':
      case 'views.push':
      case 'views.publish':
        return { ok: true, view: this.view(args) };
      case 'apps.connections.open': {
        const port = (this.server.address() as AddressInfo).port;
        return this.socket.enabled
          ? { ok: true, url: `ws://127.0.0.1:${port}/link` }
          : { ok: true };
      }
      default:
        return { ok: true };
    }
  }

  /** Slack returns locale only when asked with include_locale=true. */
  private userInfo(id: string, includeLocale: unknown): Args {
    const user = this.users.get(id) ?? {};
    const wantsLocale = includeLocale === true || includeLocale === 'true';
    const locale = 'locale' in user ? user.locale : 'en-US';
    const name = id.toLowerCase();
    return {
      id,
      team_id: SLACK_IDS.team,
      name,
      real_name: user.realName ?? name,
      tz: user.tz ?? 'Asia/Tokyo',
      ...(wantsLocale && locale !== undefined ? { locale } : {}),
      profile: { real_name: user.realName ?? name, display_name: name },
    };
  }

  private post(method: string, args: Args): Args {
    // The two checks Slack makes that an adapter bug is most likely to trip.
    if (!args.channel) return { ok: false, error: 'channel_not_found' };
    if (!args.text && !args.blocks && !args.attachments) return { ok: false, error: 'no_text' };
    this.messages += 1;
    const n = this.messages;
    const ts = `${1_700_000_000 + Math.floor(n / 10_000)}.${String((n % 10_000) * 100).padStart(6, '0')}`;
    if (method === 'chat.postEphemeral') return { ok: true, message_ts: ts };
    const message = {
      type: 'message',
      user: SLACK_IDS.botUser,
      bot_id: SLACK_IDS.bot,
      team: SLACK_IDS.team,
      text: args.text ?? '',
      ...(args.blocks ? { blocks: args.blocks } : {}),
      ts,
    };
    return { ok: true, channel: args.channel, ts, message };
  }

  private uploadUrl(args: Args): Args {
    const filename = str(args.filename);
    const length = Number(args.length);
    if (!filename || !(length > 0)) return { ok: false, error: 'missing_argument' };
    const altText = str(args.alt_txt);
    if (altText && altText.length > 1000) return { ok: false, error: 'alt_txt_too_large' };
    const fileId = `F${String(this.uploads.length + 1).padStart(8, '0')}`;
    this.uploads.push({ fileId, filename, length, altText });
    return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
  }

  private completeUpload(args: Args): Args {
    const files = Array.isArray(args.files) ? (args.files as Args[]) : [];
    const uploads = files.map((f) => this.uploads.find((u) => u.fileId === f.id));
    if (files.length === 0 || uploads.some((u) => !u?.bytes)) {
      return { ok: false, error: 'file_not_found' };
    }
    files.forEach((f, i) => {
      const upload = uploads[i] as FakeSlackUpload;
      upload.title = str(f.title) ?? upload.filename;
      const channel = str(args.channel_id);
      if (channel) upload.channel = channel;
    });
    return { ok: true, files: uploads.map((u) => ({ id: u?.fileId, title: u?.title })) };
  }

  private view(args: Args): Args {
    this.views += 1;
    const sent = typeof args.view === 'object' && args.view !== null ? (args.view as Args) : {};
    const id = str(args.view_id) ?? `V${String(this.views).padStart(8, '0')}`;
    return {
      id,
      team_id: SLACK_IDS.team,
      app_id: SLACK_IDS.app,
      bot_id: SLACK_IDS.bot,
      state: { values: {} },
      ...sent,
      hash: `1700000000.${String(this.views).padStart(8, '0')}`,
    };
  }
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const { server, url } = await listenLocally();
  const wss = options.socketMode ? new WebSocketServer({ server, path: '/link' }) : undefined;
  return new FakeSlack(server, url, wss);
}
