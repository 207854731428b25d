import { Agent, request as httpRequest } from 'node:http';

// A client for refused bodies: tests of the size limits need to see the status a server
// answers to a body it will not take, which fetch cannot always show.

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * With `restAfterAnswer`: whether the whole body could still be sent after the answer
   * came, as a sender that does not read answers early would send it.
   */
  readonly completed?: boolean;
}

export interface OversizedBody {
  readonly bytes: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Leaves out Content-Length, so the limit has to be enforced as the body streams in. */
  readonly chunked?: boolean;
  /** The body's first bytes (a JSON opening, say); the rest is filler. */
  readonly prefix?: string;
  /**
   * With Content-Length: sends one piece, waits for the answer, then sends the rest. A server
   * that cuts the connection on refusal breaks the pipe under the sender; one that reads the
   * rest away lets it finish.
   */
  readonly restAfterAnswer?: boolean;
}

const PIECE = 64 * 1024;

/**
 * POSTs `bytes` of filler. A server that refuses an oversized body may answer before reading
 * it and close the connection while the client still writes, which fetch reports as a
 * network error instead of the status; here the status is read as soon as it arrives.
 */
export function postOversized(url: string, input: OversizedBody): Promise<RawAnswer> {
  const prefix = Buffer.from(input.prefix ?? '');
  const total = Math.max(input.bytes, prefix.length);
  const req = httpRequest(url, {
    // A connection of its own (a pooled one the server is just closing would reset), kept
    // alive as browsers and platform clients keep theirs: one that asks to close would be
    // closed right after the answer, with the rest of the body still coming.
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
    method: 'POST',
    headers: {
      ...input.headers,
      ...(input.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }),
    },
  });
  const answered = new Promise<RawAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    // A write after the server hung up fails; an answer sent before that is still read.
    req.on('error', (error) => setTimeout(() => reject(error), 1_000));
  });
  let sent = 0;
  const next = () => {
    const piece =
      sent === 0 && prefix.length > 0 ? prefix : Buffer.alloc(Math.min(PIECE, total - sent), 0x61);
    sent += piece.length;
    return piece;
  };
  if (!input.restAfterAnswer) {
    const pump = () => {
      while (sent < total) if (!req.write(next())) return void req.once('drain', pump);
      req.end();
    };
    pump();
    return answered.finally(() => req.destroy());
  }
  return (async () => {
    req.write(next());
    const answer = await answered;
    // False if the connection fails, or stalls, while the rest goes out: the server cut it.
    const sentAll = new Promise<boolean>((resolve) => {
      const stalled = setTimeout(() => resolve(false), 5_000);
      req.once('error', () => resolve(false));
      req.once('close', () => {
        clearTimeout(stalled);
        if (!req.writableFinished) resolve(false);
      });
      req.once('finish', () => setTimeout(() => resolve(!req.errored), 50));
    });
    req.end(Buffer.alloc(total - sent, 0x61));
    const completed = await sentAll;
    req.destroy();
    return { ...answer, completed };
  })();
}
