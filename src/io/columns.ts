import { type EntityKind, FIELDS } from '../app/ingest/entities.ts';
import { ISO_FORMAT, type ValueFormat } from '../app/ingest/validate.ts';
import { DomainError } from '../domain/errors.ts';
import { type BooleanWords, type DateFormat, DEFAULT_BOOLEAN_WORDS } from '../domain/parse.ts';

// How a file's columns and values are read under a mapping (see mapping.ts for the mapping
// itself). Free of the schema library, so the import worker starts quickly.

export const ENCODINGS = ['auto', 'utf-8', 'shift_jis', 'gb18030'] as const;
export type Encoding = Exclude<(typeof ENCODINGS)[number], 'auto'>;

/** What reading columns and values needs of a mapping (a `Mapping` of mapping.ts is one). */
export interface ColumnMapping {
  readonly fields: Readonly<Record<string, string>>;
  readonly constants?: Readonly<Record<string, string | number | boolean>>;
  readonly dateFormat?: DateFormat;
  readonly decimalSeparator?: '.' | ',';
  readonly booleans?: BooleanWords;
  readonly defaultCurrency?: string;
}

export function valueFormatOf(mapping: ColumnMapping | undefined): ValueFormat {
  return {
    dateFormat: mapping?.dateFormat ?? ISO_FORMAT.dateFormat,
    decimalSeparator: mapping?.decimalSeparator ?? '.',
    booleans: mapping?.booleans ?? DEFAULT_BOOLEAN_WORDS,
    ...(mapping?.defaultCurrency ? { defaultCurrency: mapping.defaultCurrency } : {}),
  };
}

/**
 * Where each field comes from in a file with this header: the mapping's column, else a
 * column named like the field itself. Required fields with no source are an error.
 */
export function resolveColumns(
  kind: EntityKind,
  header: readonly string[],
  mapping: ColumnMapping | undefined,
): Map<string, number> {
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const columns = new Map<string, number>();
  for (const spec of FIELDS[kind]) {
    const source = mapping?.fields[spec.name];
    const at = index.get(source ?? spec.name);
    if (source !== undefined && at === undefined) {
      throw new DomainError('errors.mapping.missing_column', {
        column: source,
        field: spec.name,
        header: header.join(', '),
      });
    }
    if (at !== undefined) columns.set(spec.name, at);
    else if (spec.required && mapping?.constants?.[spec.name] === undefined) {
      throw new DomainError('errors.mapping.required_field', {
        field: spec.name,
        header: header.join(', '),
      });
    }
  }
  return columns;
}
