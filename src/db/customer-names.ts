import type { Insertable } from 'kysely';
import { normalizeName } from '../domain/names.ts';
import type { CustomerNamesTable } from './schema.ts';

export interface CustomerNameSource {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly nameKana?: string | null;
  readonly nameRomaji?: string | null;
  readonly namePinyin?: string | null;
  readonly aliases?: readonly string[];
}

/**
 * The searchable names of one customer, normalized once on write. Empty normalized forms
 * (a name of only punctuation) and repeats within a kind are dropped.
 */
export function customerNameRows(source: CustomerNameSource): Insertable<CustomerNamesTable>[] {
  const candidates: [string, string | null | undefined][] = [
    ['code', source.code],
    ['legal', source.legalName],
    ['kana', source.nameKana],
    ['romaji', source.nameRomaji],
    ['pinyin', source.namePinyin],
    ...(source.aliases ?? []).map((alias): [string, string] => ['alias', alias]),
  ];
  const seen = new Set<string>();
  const rows: Insertable<CustomerNamesTable>[] = [];
  for (const [kind, name] of candidates) {
    if (!name) continue;
    const normalized = normalizeName(name);
    const key = `${kind}\u0000${normalized}`;
    if (normalized.length === 0 || seen.has(key)) continue;
    seen.add(key);
    rows.push({ customer_id: source.customerId, kind, name, normalized });
  }
  return rows;
}
