import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

// Prometheus text exposition (format 0.0.4). Labels use the registered route pattern, never
// the raw path, so customer codes and probes of unknown URLs cannot grow the series count.

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface Metrics {
  countRequest(c: Context): void;
  render(): string;
}

/** The route pattern that answered, or `unmatched` when only middleware matched. */
export function routeLabel(c: Context): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL' && !r.path.includes('*'));
  return handlers.at(-1)?.path ?? 'unmatched';
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

export function createMetrics(uptimeSeconds: () => number = () => process.uptime()): Metrics {
  const requests = new Map<string, number>();
  return {
    countRequest(c) {
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const labels = `method="${method}",route="${escapeLabel(routeLabel(c))}",status="${c.res.status}"`;
      requests.set(labels, (requests.get(labels) ?? 0) + 1);
    },
    render() {
      const lines = [
        '# HELP creditops_http_requests_total HTTP requests answered, by method, route and status.',
        '# TYPE creditops_http_requests_total counter',
        ...[...requests].map(([labels, n]) => `creditops_http_requests_total{${labels}} ${n}`),
        '# HELP process_uptime_seconds Seconds since the process started.',
        '# TYPE process_uptime_seconds gauge',
        `process_uptime_seconds ${uptimeSeconds().toFixed(3)}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}
