import { z } from 'zod';
import type { EntityKind } from '../app/ingest/entities.ts';
import { BATCH_ROUTES, MAX_ITEMS } from './batch.ts';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPES, problemTypeUri } from './problem.ts';
import {
  agingReportSchema,
  batchResultSchema,
  customerSummarySchema,
  ITEM_NAMES,
  itemSchema,
  problemSchema,
  requiredAmounts,
  validationProblemSchema,
} from './schemas.ts';

// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas (JSON Schema 2020-12,
// the dialect OpenAPI 3.1 uses) and the FIELDS table, so it describes what the code does.

type JsonObject = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject) => ({ 'application/json': { schema } });

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonObject {
  const out: JsonObject = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  delete out.$schema;
  return out;
}

/** A required amount may come as `amount` or `amountMinor`: at least one of them. */
function itemJsonSchema(kind: EntityKind): JsonObject {
  const schema = jsonSchema(itemSchema(kind), 'input');
  const amounts = requiredAmounts(kind);
  if (amounts.length === 0) return schema;
  const either = amounts.map((n) => ({ anyOf: [{ required: [n] }, { required: [`${n}Minor`] }] }));
  return { ...schema, allOf: either };
}

function componentSchemas(): Record<string, JsonObject> {
  const schemas: Record<string, JsonObject> = {};
  for (const kind of Object.values(BATCH_ROUTES)) {
    const name = ITEM_NAMES[kind];
    schemas[`${name}Item`] = itemJsonSchema(kind);
    schemas[`${name}Batch`] = {
      type: 'object',
      required: ['items'],
      properties: {
        items: { type: 'array', minItems: 1, maxItems: MAX_ITEMS, items: ref(`${name}Item`) },
      },
    };
  }
  return {
    ...schemas,
    BatchResult: jsonSchema(batchResultSchema),
    Problem: jsonSchema(problemSchema),
    ValidationProblem: jsonSchema(validationProblemSchema),
    CustomerSummary: jsonSchema(customerSummarySchema),
    AgingReport: jsonSchema(agingReportSchema),
  };
}

function problem(description: string, schema = 'Problem') {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: ref(schema) } } };
}

const COMMON_ERRORS = {
  '401': problem('missing or unknown bearer token'),
  '500': problem('unexpected error; the body carries a correlation id'),
};

function pascal(segment: string): string {
  return segment.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

function batchPath(segment: string, kind: EntityKind) {
  const name = ITEM_NAMES[kind];
  return {
    post: {
      operationId: `upsert${pascal(segment)}`,
      tags: ['ledger'],
      summary: `Upsert ${segment}: 1–${MAX_ITEMS} items, all applied or none`,
      parameters: [
        { $ref: '#/components/parameters/IdempotencyKey' },
        { $ref: '#/components/parameters/AcceptLanguage' },
      ],
      requestBody: { required: true, content: json(ref(`${name}Batch`)) },
      responses: {
        '200': {
          description: 'applied, or replayed for a repeated Idempotency-Key',
          headers: { 'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } } },
          content: json(ref('BatchResult')),
        },
        '400': problem('malformed JSON or a bad Idempotency-Key'),
        '409': problem('the Idempotency-Key is held by a request still running'),
        '413': problem('the body is larger than 5 MB'),
        '415': problem('the body is not application/json'),
        '422': problem('refused items (each named), or a bad batch', 'ValidationProblem'),
        ...COMMON_ERRORS,
      },
    },
  };
}

function readPaths() {
  return {
    '/customers/{code}': {
      get: {
        operationId: 'getCustomer',
        tags: ['reads'],
        summary: 'Credit summary of one customer by its code',
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'the customer', content: json(ref('CustomerSummary')) },
          '404': problem('no customer has this code'),
          ...COMMON_ERRORS,
        },
      },
    },
    '/aging': {
      get: {
        operationId: 'getAging',
        tags: ['reads'],
        summary: 'Portfolio aging per currency as of a date (default: today)',
        parameters: [
          { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'currency', in: 'query', schema: { type: 'string', pattern: '^[A-Za-z]{3}$' } },
        ],
        responses: {
          '200': { description: 'one report per currency', content: json(ref('AgingReport')) },
          '400': problem('asOf is not a date or currency not an ISO 4217 code'),
          ...COMMON_ERRORS,
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        security: [],
        summary: 'This document',
        responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } },
      },
    },
  };
}

const PARAMETERS = {
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Replays the stored answer for a repeated key (per API token); never applies twice',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  },
  AcceptLanguage: {
    name: 'Accept-Language',
    in: 'header',
    required: false,
    description: 'ja, zh or en: the language of problem titles, details and messages',
    schema: { type: 'string' },
  },
};

function buildDocument(): JsonObject {
  const batches = Object.entries(BATCH_ROUTES).map(([s, k]) => [`/${s}`, batchPath(s, k)]);
  return {
    openapi: '3.1.0',
    info: {
      title: 'creditops REST API',
      version: '1.0.0',
      description: [
        'Feeds the credit ledger and reads it back. Amounts are integers in minor units',
        '(`<field>Minor`) or decimal strings; JSON numbers are refused for money.',
        `Errors are RFC 9457 problem details; their types: ${PROBLEM_TYPES.map(problemTypeUri).join(', ')}.`,
      ].join(' '),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: { ...Object.fromEntries(batches), ...readPaths() },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      parameters: PARAMETERS,
      schemas: componentSchemas(),
    },
  };
}

let document: JsonObject | undefined;

/** Built once, on first request: the schemas are fixed at build time. */
export function openApiDocument(): JsonObject {
  document ??= buildDocument();
  return document;
}
