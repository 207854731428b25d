import { type RawBuilder, sql } from 'kysely';

type SqlType = 'text' | 'date' | 'int8' | 'bool' | 'float8' | 'timestamptz' | 'jsonb';

/** One array parameter per column: a batch of any size is a single statement. */
export function unnest(
  columns: readonly (readonly [SqlType, readonly unknown[]])[],
): RawBuilder<unknown> {
  const arrays = columns.map(([type, values]) => sql`${sql.val(values)}::${sql.raw(type)}[]`);
  return sql`unnest(${sql.join(arrays)})`;
}
