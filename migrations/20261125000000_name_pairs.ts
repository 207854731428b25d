import { type Kysely, sql } from 'kysely';

// A name searched by two characters (宏达, 华信: a Chinese company without its city and trade)
// has no trigram, so the trigram index cannot serve `like '%宏达%'` and every name was read:
// 40–100 ms at 100,000 customers. The pairs of characters of each normalized name, in a GIN
// index, answer the same question from the index. The function is immutable (it reads nothing
// but its argument), as an index expression must be.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function name_pairs(name text) returns text[]
      language sql immutable strict parallel safe
      return array(
        select distinct substr(name, i, 2) from generate_series(1, char_length(name) - 1) as i
      )`.execute(db);
  await sql`create index customer_names_pairs on customer_names using gin (name_pairs(normalized))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists customer_names_pairs`.execute(db);
  await sql`drop function if exists name_pairs(text)`.execute(db);
}
