import { type CustomerSearch, findCustomer } from '../src/app/lookup.ts';
import type { Database } from '../src/db/connection.ts';
import { createRandom } from '../src/db/demo-data.ts';
import { createStore } from '../src/db/store.ts';
import { runAlone, startedAlone } from './alone.ts';
import { type Figure, figure } from './figures.ts';
import type { Named } from './lookup-book.ts';
import { percentile } from './support.ts';

// Fuzzy name search as `/credit <name>` and every command that names a customer run it
// (findCustomer: the query normalized, then the store's trigram search), one query at a time,
// for four kinds of what people type: kana, full-width forms, romaji and part of the name.
// Each query is drawn from one customer of the book, and counts as found when the answer
// names that customer (its card, or it in the pick list or the suggestions); a part of a name
// that more customers share than the pick list shows is not found for those left out, as the
// user would not find them. The floor is the cheapest customer look-up there is: an exact code
// through the unique index, as many times, interleaved with the searches so both see the same
// cache and the same neighbours.

export const SEARCH_KINDS = ['kana', 'full-width', 'romaji', 'partial'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchQuery {
  readonly kind: SearchKind;
  readonly text: string;
  /** The customer the query was drawn from. */
  readonly code: string;
  /** For a full-width query, the ASCII it was widened from. */
  readonly ascii?: string;
}

/** Queries per kind when the caller names no count. */
const QUERIES = 400;
/** Queries per kind run first and not counted: connections opened, index pages read in. */
const WARM_UP = 20;

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** ASCII as a Japanese IME types it in full-width mode: Ｃ０００１２３, Ｋａｎｓａｉ　Ａｏｂａ. */
export function toFullWidth(text: string): string {
  return text
    .replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
    .replaceAll(' ', '\u3000');
}

function drawOne(
  random: ReturnType<typeof createRandom>,
  kind: SearchKind,
  book: { readonly all: readonly Named[]; readonly japanese: readonly Named[] },
): SearchQuery {
  // Kana and romaji are readings of Japanese names: those queries ask about Japanese customers.
  const c = random.pick(kind === 'kana' || kind === 'romaji' ? book.japanese : book.all);
  const { nameKana = '', nameRomaji = '', legalName } = c.identity;
  const half = () => random.chance(0.5);
  switch (kind) {
    case 'kana':
      return { kind, text: half() ? nameKana : (c.partialKana ?? nameKana), code: c.code };
    case 'romaji': {
      const text = half() ? nameRomaji : (c.partialRomaji ?? nameRomaji);
      return { kind, text: random.chance(0.3) ? text.toLowerCase() : text, code: c.code };
    }
    case 'full-width': {
      // The code, or the Latin letters of the name: the reading of a Japanese name, an English
      // name or part of it. Chinese names have no Latin letters to widen, so their code.
      const reading = c.identity.origin === 'JP' ? (half() ? nameRomaji : c.partialRomaji) : '';
      const latin = c.identity.origin === 'EN' ? (half() ? legalName : c.partial) : reading;
      const ascii = !latin || random.chance(0.25) ? c.code : latin;
      return { kind, text: toFullWidth(ascii), code: c.code, ascii };
    }
    case 'partial':
      return { kind, text: c.partial, code: c.code };
  }
}

/** `perKind` queries of each kind, the same for the same book. */
export function drawSearchQueries(named: readonly Named[], perKind: number): SearchQuery[] {
  const random = createRandom(20261126);
  const japanese = named.filter((n) => n.identity.nameKana && n.identity.nameRomaji);
  const book = { all: named, japanese: japanese.length > 0 ? japanese : named };
  return SEARCH_KINDS.flatMap((kind) =>
    Array.from({ length: perKind }, () => drawOne(random, kind, book)),
  );
}

interface Sample {
  readonly ms: number;
  /** The answer names the customer the query came from. */
  readonly found: boolean;
  /** The answer is that customer's card: one match, no pick list. */
  readonly card: boolean;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

const share = (samples: readonly boolean[]) =>
  round((100 * samples.filter(Boolean).length) / Math.max(1, samples.length), 1);

/** The customers an answer names, in its order: the card's, the pick list's, the suggestions'. */
function named(answer: CustomerSearch): string[] {
  if (answer.kind === 'one') return [answer.match.code];
  return (answer.kind === 'choose' ? answer.candidates : answer.suggestions).map((m) => m.code);
}

/**
 * Fuzzy name search by kind of query, p99 against the p99 of exact code look-ups; `queries`
 * per kind (400 by default), after a warm-up. Full-width queries are also asked in the ASCII
 * they were widened from: normalization should make the answers the same.
 */
export async function measureSearch(
  database: Database,
  book: readonly Named[],
  options: { readonly queries?: number } = {},
): Promise<Figure[]> {
  const perKind = options.queries ?? QUERIES;
  const store = createStore(database.db);
  const drawn = drawSearchQueries(book, WARM_UP + perKind);
  const queries = new Map(
    SEARCH_KINDS.map((kind) => [kind, drawn.filter((q) => q.kind === kind)] as const),
  );

  const search = async (q: SearchQuery): Promise<Sample> => {
    const { ms, value } = await timed(() => findCustomer(store, q.text));
    const codes = named(value);
    return { ms, found: codes.includes(q.code), card: value.kind === 'one' && codes[0] === q.code };
  };
  const byCode = async (q: SearchQuery): Promise<number> => {
    const { ms, value } = await timed(() =>
      database.db
        .selectFrom('customers')
        .select(['id', 'code', 'legal_name'])
        .where('code', '=', q.code)
        .executeTakeFirst(),
    );
    if (value?.code !== q.code) throw new Error(`no customer ${q.code}`);
    return ms;
  };

  const samples = new Map(SEARCH_KINDS.map((kind) => [kind, [] as Sample[]] as const));
  const floor: number[] = [];
  // Round robin over the kinds, each search followed by a code look-up for the same customer.
  for (let i = 0; i < WARM_UP + perKind; i += 1) {
    for (const kind of SEARCH_KINDS) {
      const q = queries.get(kind)?.[i];
      if (!q) continue;
      const s = await search(q);
      const f = await byCode(q);
      if (i < WARM_UP) continue;
      samples.get(kind)?.push(s);
      floor.push(f);
    }
  }
  // Untimed: the full-width queries again in ASCII, answer against answer.
  const same: boolean[] = [];
  for (const q of queries.get('full-width')?.slice(WARM_UP) ?? []) {
    if (q.ascii === undefined) continue;
    const [wide, ascii] = [await findCustomer(store, q.text), await findCustomer(store, q.ascii)];
    same.push(JSON.stringify(named(wide)) === JSON.stringify(named(ascii)));
  }

  const floorP99 = percentile(floor, 0.99);
  return SEARCH_KINDS.map((kind) => {
    const some = samples.get(kind) ?? [];
    const ms = some.map((s) => s.ms);
    return figure({
      section: 'search',
      name: `${kind} search p99`,
      value: percentile(ms, 0.99),
      unit: 'ms',
      floorName: 'exact code look-up p99',
      floor: floorP99,
      detail: {
        n: some.length,
        p50: round(percentile(ms, 0.5)),
        p95: round(percentile(ms, 0.95)),
        foundPercent: share(some.map((s) => s.found)),
        cardPercent: share(some.map((s) => s.card)),
        ...(kind === 'full-width' ? { sameAsAsciiPercent: share(same) } : {}),
        floorP50: round(percentile(floor, 0.5)),
      },
    });
  });
}

if (startedAlone(import.meta.url)) {
  await runAlone({
    title: 'search: fuzzy name search',
    options: ['queries'],
    measure: ({ database, named, options }) =>
      measureSearch(database, named, options.queries ? { queries: options.queries } : {}),
  });
}
