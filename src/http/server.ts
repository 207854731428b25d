import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { type ErrorHandler, Hono } from 'hono';
import type { Logger } from '../app/ports.ts';
import { isDatabaseUnavailable } from '../app/unavailable.ts';
import { createApi } from './api.ts';
import { type HttpDeps, type HttpEnv, requestLocale } from './context.ts';
import { createMetrics, METRICS_CONTENT_TYPE } from './metrics.ts';
import { HttpProblem, problemResponse } from './problem.ts';

export type { HttpDeps } from './context.ts';

/** The one error boundary: a known problem as itself, anything else as a logged 500. */
/** When a client should try again after the database could not be reached. */
const RETRY_AFTER_S = 30;

function errorBoundary(logger: Logger): ErrorHandler<HttpEnv> {
  return (error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    const correlationId = c.get('requestId');
    if (isDatabaseUnavailable(error)) {
      logger.warn('http request failed: database unavailable', {
        correlationId,
        method: c.req.method,
        path: c.req.path,
        error: error.message,
      });
      return problemResponse(
        c,
        new HttpProblem('unavailable', { headers: { 'Retry-After': String(RETRY_AFTER_S) } }),
      );
    }
    logger.error('http request failed', {
      correlationId,
      method: c.req.method,
      path: c.req.path,
      error: error.stack ?? String(error),
    });
    const internal = new HttpProblem('internal', {
      params: { id: correlationId },
      extensions: { correlationId },
    });
    return problemResponse(c, internal);
  };
}

/** The bot's single HTTP server: health, metrics and the REST API (webhooks join later). */
export function createHttpApp(deps: HttpDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const metrics = createMetrics();
  app.use(async (c, next) => {
    const requestId = randomUUID();
    const locale = requestLocale(c.req.header('accept-language'), deps.defaultLocale);
    c.set('requestId', requestId);
    c.set('locale', locale);
    c.set('t', deps.i18n.t(locale));
    c.header('X-Request-Id', requestId);
    await next();
    metrics.countRequest(c);
  });
  app.onError(errorBoundary(deps.logger));
  app.notFound((c) =>
    problemResponse(c, new HttpProblem('not_found', { params: { path: c.req.path } })),
  );

  app.get('/healthz', async (c) => {
    try {
      await deps.store.ping();
    } catch (error) {
      deps.logger.warn('health check failed', { error: String(error) });
      throw new HttpProblem('unavailable');
    }
    return c.json({ status: 'ok' });
  });
  app.get('/metrics', (c) =>
    c.body(metrics.render(), 200, { 'Content-Type': METRICS_CONTENT_TYPE }),
  );
  app.route('/api/v1', createApi(deps));
  return app;
}

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A route served by a platform SDK's own Node listener (Slack's Bolt receiver checks the
 * signature over the raw body itself); everything else goes to the Hono app.
 */
export interface NodeRoute {
  readonly path: string;
  readonly listener: RequestListener;
}

/** One server for the whole bot; listens on `port` (0: any free port), resolves once listening. */
export function startHttpServer(
  app: Hono<HttpEnv>,
  port: number,
  routes: readonly NodeRoute[] = [],
): Promise<HttpServer> {
  const hono = getRequestListener(app.fetch);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path);
    if (route) route.listener(req, res);
    else void hono(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        // Stops accepting, lets requests in flight finish, then drops idle keep-alives.
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeIdleConnections();
          }),
      });
    });
  });
}
