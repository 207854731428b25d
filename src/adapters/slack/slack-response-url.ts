import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// Every slash command and button is answered at its response_url. Node's fetch costs several
// times what a plain request over a kept-alive connection does (streams, signals, a Response
// to build), which with fifty commands in flight is a good part of what each answer costs
// the process; so the answer goes out the plain way, to the same URL, with the same body.

const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
} as const;

/** Slack keeps a response_url for 30 minutes; an answer stuck longer than this is dropped. */
const TIMEOUT_MS = 30_000;

export class ResponseUrlError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ResponseUrlError';
  }
}

/** POSTs `message` as JSON to a response_url; rejects unless Slack answers 2xx. */
export function postToResponseUrl(responseUrl: string, message: object): Promise<void> {
  const url = new URL(responseUrl);
  const body = Buffer.from(JSON.stringify(message));
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') {
    return Promise.reject(new ResponseUrlError(`not an http(s) response_url: ${url.protocol}`));
  }
  return new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        agent: agents[secure ? 'https:' : 'http:'],
        headers: { 'content-type': 'application/json', 'content-length': body.length },
        timeout: TIMEOUT_MS,
      },
      (res: IncomingMessage) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else {
            reject(
              new ResponseUrlError(
                `response_url refused the answer: ${status} ${res.statusMessage ?? ''}`.trim(),
                status,
              ),
            );
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new ResponseUrlError('response_url did not answer')));
    req.on('error', reject);
    req.end(body);
  });
}
