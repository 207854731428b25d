import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { bearerAuth } from './auth.ts';
import { BATCH_ROUTES, batchHandler } from './batch.ts';
import type { HttpDeps, HttpEnv } from './context.ts';
import { openApiDocument } from './openapi.ts';
import { HttpProblem } from './problem.ts';
import { agingHandler, customerHandler } from './reads.ts';

/** 1000 items of the longest entity fit with room to spare; a bigger body is a mistake. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * `/api/v1`. The order matters: the document is public; everything after it needs a token,
 * and the token is checked before a byte of the body is read.
 */
export function createApi(deps: HttpDeps): Hono<HttpEnv> {
  const api = new Hono<HttpEnv>();
  api.get('/openapi.json', (c) => c.json(openApiDocument()));
  api.use(bearerAuth(deps.apiTokens));
  // With Content-Length the limit answers before reading; a chunked body is counted as it
  // streams in and cut off at the limit, so an oversized body is never held whole.
  api.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HttpProblem('payload_too_large', { params: { max: '5 MB' } });
      },
    }),
  );
  for (const [segment, kind] of Object.entries(BATCH_ROUTES)) {
    api.post(`/${segment}`, batchHandler(deps, kind));
  }
  api.get('/customers/:code', customerHandler(deps));
  api.get('/aging', agingHandler(deps));
  return api;
}
