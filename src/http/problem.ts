import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Translate } from '../chat/i18n.ts';
import type { HttpEnv } from './context.ts';

// RFC 9457 problem details. Every error the API answers is one of these types; the title
// and detail come from the catalogues (`problem.<type>.title|detail`) in the reader's language.

export const PROBLEM_STATUS = {
  bad_idempotency_key: 400,
  bad_query: 400,
  malformed_json: 400,
  unauthorized: 401,
  not_found: 404,
  customer_not_found: 404,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  bad_body: 422,
  too_many_items: 422,
  validation: 422,
  idempotency_mismatch: 422,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ProblemType = keyof typeof PROBLEM_STATUS;
export const PROBLEM_TYPES = Object.keys(PROBLEM_STATUS) as ProblemType[];
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Stable URIs: clients branch on `type`, never on the localized title. */
export function problemTypeUri(type: ProblemType): string {
  return `https://creditops.dev/problems/${type.replaceAll('_', '-')}`;
}

type Params = Readonly<Record<string, string | number>>;

/** Thrown anywhere below the error boundary; `server.ts` turns it into the response. */
export class HttpProblem extends Error {
  readonly type: ProblemType;
  readonly params: Params;
  /** Extension members (RFC 9457 §3.2), e.g. the per-item `errors` of a refused batch. */
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    type: ProblemType,
    options: {
      readonly params?: Params;
      readonly extensions?: Record<string, unknown>;
      readonly headers?: Record<string, string>;
    } = {},
  ) {
    super(type);
    this.name = 'HttpProblem';
    this.type = type;
    this.params = options.params ?? {};
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  get status(): ContentfulStatusCode {
    return PROBLEM_STATUS[this.type];
  }
}

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

export function problemBody(t: Translate, problem: HttpProblem): ProblemBody {
  const standard = {
    type: problemTypeUri(problem.type),
    title: t(`problem.${problem.type}.title`),
    status: problem.status,
    detail: t(`problem.${problem.type}.detail`, problem.params),
  };
  // The standard members come first for a reader and cannot be overridden by an extension.
  return { ...standard, ...problem.extensions, ...standard };
}

export function problemResponse(c: Context<HttpEnv>, problem: HttpProblem): Response {
  const body = problemBody(c.get('t'), problem);
  return c.body(JSON.stringify(body), problem.status, {
    ...problem.headers,
    'Content-Type': PROBLEM_MEDIA_TYPE,
    'Content-Language': c.get('locale'),
  });
}
