import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { HttpEnv } from './context.ts';
import { HttpProblem } from './problem.ts';

const REALM = 'Bearer realm="creditops"';
const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * `Authorization: Bearer <token>` against the configured API tokens. Both sides are hashed
 * first so every comparison is over 32 bytes, and every token is compared, so neither the
 * length nor the position of a match shows in the time taken. Tokens are never logged.
 */
export function bearerAuth(tokens: ReadonlyMap<string, string>): MiddlewareHandler<HttpEnv> {
  const known = [...tokens].map(([token, name]) => ({ digest: sha256(token), name }));
  return async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) {
      throw new HttpProblem('unauthorized', { headers: { 'WWW-Authenticate': REALM } });
    }
    const presented = sha256(match[1]);
    let actor: string | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(presented, candidate.digest)) actor ??= candidate.name;
    }
    if (actor === undefined) {
      // RFC 6750 §3.1: a token was sent but is not one of ours.
      const challenge = `${REALM}, error="invalid_token"`;
      throw new HttpProblem('unauthorized', { headers: { 'WWW-Authenticate': challenge } });
    }
    c.set('actor', actor);
    await next();
  };
}
