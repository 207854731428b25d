import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { messagingApi } from '@line/bot-sdk';
import { flexViolations } from '../../src/adapters/line/line-limits.ts';
import { closeNow, listenLocally, poll, readBody } from './fake-server.ts';

// A fake LINE Messaging API for end-to-end tests, at the root path as LINE serves it (the SDK
// drops any path on its base URL). The real @line/bot-sdk talks to it over HTTP; it checks the
// bearer token, refuses reused or expired reply tokens, refuses messages over LINE's limits,
// keeps X-Line-Retry-Keys (a repeat answers 409), counts pushes per recipient (a group per
// member) against a monthly quota, and answers with faults on demand.

export type LineFault =
  | { readonly kind: 'monthly_limit' }
  | { readonly kind: 'rate_limited'; readonly retryAfter?: number }
  | { readonly kind: 'server_error' };

export type LineEndpoint = 'push' | 'reply';

export interface LineCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly retryKey: string | undefined;
  readonly status: number;
  readonly at: Date;
}

/** A message LINE took, as the chat shows it. */
export interface LineDelivered {
  readonly via: LineEndpoint;
  /** The chat (push) or the reply token's chat, when the test told which. */
  readonly to: string;
  readonly messages: messagingApi.Message[];
  readonly retryKey: string | undefined;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const MONTHLY_LIMIT = 'You have reached your monthly limit.';

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readBody(req)).toString('utf8');
  return raw === '' ? undefined : JSON.parse(raw);
}

function faultReply(fault: LineFault): Reply {
  switch (fault.kind) {
    case 'monthly_limit':
      return { status: 429, body: { message: MONTHLY_LIMIT } };
    case 'rate_limited':
      return {
        status: 429,
        body: { message: 'Too many requests' },
        ...(fault.retryAfter ? { headers: { 'retry-after': String(fault.retryAfter) } } : {}),
      };
    case 'server_error':
      return { status: 500, body: { message: 'Internal server error' } };
  }
}

export class FakeLine {
  readonly calls: LineCall[] = [];
  readonly delivered: LineDelivered[] = [];
  /** GET /v2/bot/message/quota; `value` is the month's target limit. */
  quota: messagingApi.MessageQuotaResponse = { type: 'limited', value: 200 };
  /** Pushes LINE counted this month before the test began. */
  usedBefore = 0;
  private readonly members = new Map<string, number>();
  private readonly names = new Map<string, string>();
  private readonly replyChats = new Map<string, string>();
  private readonly spentTokens = new Set<string>();
  private readonly keys = new Map<string, messagingApi.SentMessage[]>();
  private readonly faults = new Map<LineEndpoint, LineFault[]>();
  private messageIds = 0;

  constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly token: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((error: unknown) =>
        send(res, { status: 500, body: { message: String(error) } }),
      );
    });
  }

  /** A group's or room's member count (default 3). */
  setMembers(chatId: string, count: number): void {
    this.members.set(chatId, count);
  }

  setName(userId: string, name: string): void {
    this.names.set(userId, name);
  }

  /** Which chat a reply token answers into, so replies read like pushes in `messagesTo`. */
  replyTokenFor(token: string, chatId: string): void {
    this.replyChats.set(token, chatId);
  }

  /** The token answers 400 Invalid reply token, as an expired one does. */
  expireReplyToken(token: string): void {
    this.spentTokens.add(token);
  }

  /** The next call to the endpoint (only that one) fails this way; several queue up. */
  failNext(endpoint: LineEndpoint, fault: LineFault): void {
    this.faults.set(endpoint, [...(this.faults.get(endpoint) ?? []), fault]);
  }

  /** Pushes this month as LINE counts them: per recipient, a group per member. */
  usage(): number {
    return (
      this.usedBefore +
      this.delivered.filter((d) => d.via === 'push').reduce((n, d) => n + this.recipients(d.to), 0)
    );
  }

  pushes(to?: string): LineDelivered[] {
    return this.delivered.filter((d) => d.via === 'push' && (to === undefined || d.to === to));
  }

  replies(): LineDelivered[] {
    return this.delivered.filter((d) => d.via === 'reply');
  }

  /** Everything a chat received, replies (by `replyTokenFor`) and pushes, in order. */
  messagesTo(chatId: string): messagingApi.Message[] {
    return this.delivered.filter((d) => d.to === chatId).flatMap((d) => d.messages);
  }

  callsTo(path: string): LineCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    return poll(check, timeoutMs, () => {
      const calls = this.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(', ');
      return `waiting for a condition; calls so far: [${calls}]`;
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.delivered.length = 0;
    this.faults.clear();
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  private recipients(to: string): number {
    return to.startsWith('U') ? 1 : (this.members.get(to) ?? 3);
  }

  private sent(messages: readonly unknown[]): messagingApi.SentMessage[] {
    return messages.map(() => {
      this.messageIds += 1;
      return { id: String(480_000_000_000_000 + this.messageIds) };
    });
  }

  private takeFault(endpoint: LineEndpoint): LineFault | undefined {
    const queue = this.faults.get(endpoint) ?? [];
    const fault = queue.shift();
    this.faults.set(endpoint, queue);
    return fault;
  }

  /** LINE's 400 for a request the real API would refuse. */
  private invalid(messages: unknown): Reply | undefined {
    if (!Array.isArray(messages)) return { status: 400, body: { message: 'messages missing' } };
    const problems = flexViolations(messages as messagingApi.Message[]);
    return problems.length > 0
      ? { status: 400, body: { message: 'A message (messages[0]) is invalid', details: problems } }
      : undefined;
  }

  private reply(body: messagingApi.ReplyMessageRequest): Reply {
    const fault = this.takeFault('reply');
    if (fault) return faultReply(fault);
    if (this.spentTokens.has(body.replyToken)) {
      return { status: 400, body: { message: 'Invalid reply token' } };
    }
    const refused = this.invalid(body.messages);
    if (refused) return refused;
    this.spentTokens.add(body.replyToken);
    this.delivered.push({
      via: 'reply',
      to: this.replyChats.get(body.replyToken) ?? `reply:${body.replyToken}`,
      messages: body.messages,
      retryKey: undefined,
    });
    return { status: 200, body: { sentMessages: this.sent(body.messages) } };
  }

  private push(body: messagingApi.PushMessageRequest, retryKey: string | undefined): Reply {
    const fault = this.takeFault('push');
    if (fault) return faultReply(fault);
    const accepted = retryKey ? this.keys.get(retryKey) : undefined;
    if (accepted) {
      return {
        status: 409,
        body: { message: 'The retry key is already accepted', sentMessages: accepted },
      };
    }
    if (!/^[UCR][0-9a-zA-Z_-]+$/.test(body.to ?? '')) {
      return {
        status: 400,
        body: { message: "The property, 'to', in the request body is invalid" },
      };
    }
    const refused = this.invalid(body.messages);
    if (refused) return refused;
    if (
      this.quota.type === 'limited' &&
      this.usage() + this.recipients(body.to) > (this.quota.value ?? 0)
    ) {
      return { status: 429, body: { message: MONTHLY_LIMIT } };
    }
    const sentMessages = this.sent(body.messages);
    if (retryKey) this.keys.set(retryKey, sentMessages);
    this.delivered.push({ via: 'push', to: body.to, messages: body.messages, retryKey });
    return { status: 200, body: { sentMessages } };
  }

  private profile(userId: string): Reply {
    return {
      status: 200,
      body: { userId, displayName: this.names.get(userId) ?? `LINE ${userId.slice(0, 6)}` },
    };
  }

  private answer(method: string, path: string, body: unknown, retryKey: string | undefined): Reply {
    if (method === 'POST' && path === '/v2/bot/message/reply') {
      return this.reply(body as messagingApi.ReplyMessageRequest);
    }
    if (method === 'POST' && path === '/v2/bot/message/push') {
      return this.push(body as messagingApi.PushMessageRequest, retryKey);
    }
    if (method !== 'GET') return { status: 404, body: { message: 'Not found' } };
    if (path === '/v2/bot/message/quota') return { status: 200, body: this.quota };
    if (path === '/v2/bot/message/quota/consumption') {
      return { status: 200, body: { totalUsage: this.usage() } };
    }
    const count = /^\/v2\/bot\/(?:group|room)\/([^/]+)\/members\/count$/.exec(path);
    if (count) return { status: 200, body: { count: this.recipients(count[1] ?? '') } };
    const member = /^\/v2\/bot\/(?:group|room)\/[^/]+\/member\/([^/]+)$/.exec(path);
    if (member) return this.profile(member[1] ?? '');
    const profile = /^\/v2\/bot\/profile\/([^/]+)$/.exec(path);
    if (profile) return this.profile(profile[1] ?? '');
    return { status: 404, body: { message: 'Not found' } };
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.baseUrl).pathname;
    const method = req.method ?? 'GET';
    const body = await readJson(req);
    const key = req.headers['x-line-retry-key'];
    const retryKey = typeof key === 'string' ? key : undefined;
    const reply =
      req.headers.authorization === `Bearer ${this.token}`
        ? this.answer(method, path, body, retryKey)
        : { status: 401, body: { message: 'Authentication failed' } };
    this.calls.push({ method, path, body, retryKey, status: reply.status, at: new Date() });
    send(res, reply);
  }
}

export async function startFakeLine(token: string): Promise<FakeLine> {
  const { server, url } = await listenLocally();
  return new FakeLine(server, url, token);
}
