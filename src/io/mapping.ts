import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ENTITY_KINDS, type EntityKind, FIELDS } from '../app/ingest/entities.ts';
import { DomainError } from '../domain/errors.ts';
import { isCurrencyCode } from '../domain/money.ts';
import { DATE_FORMATS } from '../domain/parse.ts';
import { ENCODINGS } from './columns.ts';

// What reading a file needs of a mapping lives in columns.ts, which a worker thread loads
// without the schema library.
export { ENCODINGS, type Encoding, resolveColumns, valueFormatOf } from './columns.ts';

/**
 * A mapping file says, for each of our fields, which column of an ERP or bank export holds it,
 * and how that export writes dates, decimals and yes/no.
 */
export const mappingSchema = z
  .object({
    description: z.string().optional(),
    kind: z.enum(ENTITY_KINDS).optional(),
    encoding: z.enum(ENCODINGS).optional(),
    delimiter: z.enum(['auto', ',', '\t', ';']).optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    decimalSeparator: z.enum(['.', ',']).optional(),
    defaultCurrency: z
      .string()
      .refine(isCurrencyCode, { error: 'expected an ISO 4217 code such as JPY' })
      .optional(),
    booleans: z
      .object({ yes: z.array(z.string().min(1)).min(1), no: z.array(z.string().min(1)).min(1) })
      .strict()
      .optional(),
    fields: z.record(z.string(), z.string().min(1)).default({}),
    constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();

export type Mapping = z.output<typeof mappingSchema>;

/** Reads and checks a mapping file against the entity it is used for. */
export async function loadMapping(path: string, kind: EntityKind): Promise<Mapping> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DomainError('errors.mapping.unreadable', {
      file: path,
      reason: (error as Error).message,
    });
  }
  const result = mappingSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DomainError('errors.mapping.invalid', {
      file: path,
      path: issue?.path.join('.') || '(root)',
      reason: issue?.message ?? '',
    });
  }
  const mapping = result.data;
  if (mapping.kind && mapping.kind !== kind) {
    throw new DomainError('errors.mapping.wrong_kind', {
      file: path,
      kind: mapping.kind,
      wanted: kind,
    });
  }
  const known = new Set(FIELDS[kind].map((f) => f.name));
  for (const field of [...Object.keys(mapping.fields), ...Object.keys(mapping.constants ?? {})]) {
    if (!known.has(field)) {
      throw new DomainError('errors.mapping.unknown_field', {
        file: path,
        field,
        kind,
        fields: [...known].join(', '),
      });
    }
  }
  return mapping;
}
