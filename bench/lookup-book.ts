import { sql } from 'kysely';
import type { Database } from '../src/db/connection.ts';
import { customerNameRows } from '../src/db/customer-names.ts';
import {
  type CustomerIdentity,
  createRandom,
  drawUniqueName,
  type Origin,
} from '../src/db/demo-data.ts';
import { normalizeName } from '../src/domain/names.ts';
import { CsvFile, quoted } from './digest-book.ts';

// The digest book's customers are named "ベンチ商事123株式会社" and have no searchable names, so
// the look-up benchmark renames them after the demo seed's name makers (a Japanese name with
// its kana and romaji for each yen customer, a Chinese one with pinyin for each yuan customer,
// an English one for the rest), widened by a region or place word so a book of ten thousand
// stays mostly unique, and writes their customer_names rows as the ledger writer would. It
// also draws the queries people type: codes, kana, romaji and partial names.

const JP_FORMS = ['株式会社', '有限会社', '合同会社'];
const JP_REGIONS = (
  '関東/カントウ/Kanto 関西/カンサイ/Kansai 東北/トウホク/Tohoku 北陸/ホクリク/Hokuriku ' +
  '中部/チュウブ/Chubu 九州/キュウシュウ/Kyushu 四国/シコク/Shikoku 山陽/サンヨウ/Sanyo ' +
  '東海/トウカイ/Tokai 北海/ホッカイ/Hokkai 湘南/ショウナン/Shonan 京浜/ケイヒン/Keihin ' +
  '阪神/ハンシン/Hanshin 城北/ジョウホク/Johoku 城南/ジョウナン/Jonan 西日本/ニシニホン/Nishinihon ' +
  '東日本/ヒガシニホン/Higashinihon 中央/チュウオウ/Chuo 新和/シンワ/Shinwa 第一/ダイイチ/Daiichi'
)
  .split(' ')
  .map((triple) => triple.split('/') as [string, string, string]);
const EN_PLACES = (
  'Bay Valley Harbor Ridge Point Park Lake Hill Creek Field Coast River Stone Bridge North ' +
  'South East West'
).split(' ');

export type QueryKind = 'code' | 'kana' | 'romaji' | 'partial';

export interface LookupQuery {
  readonly kind: QueryKind;
  readonly text: string;
  /** The customer the query was drawn from: its card or pick list should name this code. */
  readonly code: string;
}

export interface Named {
  readonly id: number;
  readonly code: string;
  readonly identity: CustomerIdentity;
  /** What someone who half remembers the name types: the name without region and form. */
  readonly partial: string;
  /** The kana (or romaji) of that part alone. */
  readonly partialKana?: string;
  readonly partialRomaji?: string;
}

const ORIGIN = { JPY: 'JP', CNY: 'CN', USD: 'EN' } as const satisfies Record<string, Origin>;

function widen(
  random: ReturnType<typeof createRandom>,
  origin: Origin,
): Omit<Named, 'id' | 'code'> {
  const base = drawUniqueName(random, origin, new Set());
  if (origin === 'JP') {
    const form = JP_FORMS.find((f) => base.legalName.includes(f)) ?? '株式会社';
    const core = base.legalName.replace(form, '');
    const [region, regionKana, regionRomaji] = random.pick(JP_REGIONS);
    const legalName = base.legalName.startsWith(form)
      ? `${form}${region}${core}`
      : `${region}${core}${form}`;
    return {
      identity: {
        ...base,
        legalName,
        nameKana: `${regionKana}${base.nameKana ?? ''}`,
        nameRomaji: `${regionRomaji} ${base.nameRomaji ?? ''}`,
      },
      partial: core,
      ...(base.nameKana ? { partialKana: base.nameKana } : {}),
      ...(base.nameRomaji ? { partialRomaji: base.nameRomaji } : {}),
    };
  }
  if (origin === 'CN') {
    // 上海宏达贸易有限公司: the city and the form are what people leave out.
    const partial = base.legalName.slice(2).replace(/(集团|股份)?有限公司$/, '');
    return { identity: base, partial };
  }
  const [first = '', ...rest] = base.legalName.split(' ');
  const place = random.pick(EN_PLACES);
  return {
    identity: { ...base, legalName: [first, place, ...rest].join(' ') },
    partial: `${first} ${place}`,
  };
}

/**
 * Renames every customer of a loaded digest ledger and writes its searchable names; returns the
 * named customers, for the queries.
 */
export async function nameCustomers(database: Database, dir: string): Promise<Named[]> {
  const rows = await database.db
    .selectFrom('customers')
    .select(['id', 'code', 'currency'])
    .orderBy('id')
    .execute();
  const random = createRandom(20261124);
  const used = new Set<string>();
  const named: Named[] = [];
  for (const row of rows) {
    const origin = ORIGIN[row.currency as keyof typeof ORIGIN] ?? 'EN';
    let drawn = widen(random, origin);
    // A few tries for a name the book does not have yet; a real book has the odd namesake too.
    for (let attempt = 0; attempt < 20 && used.has(normalizeName(drawn.identity.legalName)); ) {
      attempt += 1;
      drawn = widen(random, origin);
    }
    used.add(normalizeName(drawn.identity.legalName));
    named.push({ id: Number(row.id), code: row.code, ...drawn });
  }

  const staged = new CsvFile(dir, 'bench_customer_names', [
    ...['id', 'legal_name', 'name_kana', 'name_romaji', 'name_pinyin'],
  ]);
  const names = new CsvFile(dir, 'customer_names', ['customer_id', 'kind', 'name', 'normalized']);
  for (const c of named) {
    const { legalName, nameKana, nameRomaji, namePinyin } = c.identity;
    const text = (s: string | undefined) => (s === undefined ? null : quoted(s));
    await staged.line([
      c.id,
      quoted(legalName),
      text(nameKana),
      text(nameRomaji),
      text(namePinyin),
    ]);
    const searchable = customerNameRows({
      customerId: c.id,
      code: c.code,
      legalName,
      nameKana: nameKana ?? null,
      nameRomaji: nameRomaji ?? null,
      namePinyin: namePinyin ?? null,
    });
    for (const n of searchable) {
      await names.line([n.customer_id, n.kind, quoted(n.name), quoted(n.normalized)]);
    }
  }
  await staged.close();
  await names.close();
  await sql`create unlogged table bench_customer_names (id bigint primary key, legal_name text, name_kana text, name_romaji text, name_pinyin text)`.execute(
    database.db,
  );
  await database.copyFrom(staged.statement, staged.path);
  await sql`
    update customers c
    set legal_name = b.legal_name, name_kana = b.name_kana, name_romaji = b.name_romaji,
        name_pinyin = b.name_pinyin
    from bench_customer_names b where b.id = c.id`.execute(database.db);
  await sql`drop table bench_customer_names`.execute(database.db);
  await sql`delete from customer_names`.execute(database.db);
  await database.copyFrom(names.statement, names.path);
  await sql`vacuum analyze customers, customer_names`.execute(database.db);
  return named;
}

/** The mix people type, drawn evenly over the book: a quarter codes, the rest names. */
export function drawQueries(named: readonly Named[], count: number): LookupQuery[] {
  const random = createRandom(20261125);
  const queries: LookupQuery[] = [];
  // Kana and romaji exist for the Japanese names: those are asked about a Japanese customer.
  const japanese = named.filter((n) => n.identity.nameKana);
  while (queries.length < count) {
    const drawn = random.weighted({ code: 25, kana: 20, romaji: 20, partial: 35 });
    const reading = drawn === 'kana' || drawn === 'romaji';
    const kind = reading && japanese.length === 0 ? 'partial' : drawn;
    const c = random.pick(reading && japanese.length > 0 ? japanese : named);
    const { nameKana = '', nameRomaji = '' } = c.identity;
    const text =
      kind === 'code'
        ? random.chance(0.3)
          ? c.code.toLowerCase()
          : c.code
        : kind === 'kana'
          ? random.chance(0.5)
            ? nameKana
            : (c.partialKana ?? nameKana)
          : kind === 'romaji'
            ? (random.chance(0.5) ? nameRomaji : (c.partialRomaji ?? nameRomaji)).toLowerCase()
            : c.partial;
    queries.push({ kind, text, code: c.code });
  }
  return queries;
}
