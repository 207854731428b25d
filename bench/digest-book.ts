import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

// The shape of the digest benchmark's book (owners, segments, currencies, amounts) and what its
// generator writes with: a seeded random source and CSV files in COPY's format, one per table,
// each knowing its COPY statement.

export const OWNER_NAMES = [
  ...['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura'].map(
    (n) => `${n} (AR)`,
  ),
  ...['王芳', '李娜', '张伟', '刘洋', '陈静', '杨磊', '赵敏', '黄丽'],
  ...['Alice Chen', 'Ben Park', 'Chris Lee', 'Dana Wu', 'Emma Diaz', 'Frank Mori'],
];
export const SEGMENTS = ['enterprise', 'mid_market', 'small_business'] as const;
export const CURRENCIES = ['JPY', 'CNY', 'USD'] as const;
export type Currency = (typeof CURRENCIES)[number];
/** Invoice amounts per currency, in minor units: the smallest and the span of a skewed draw. */
export const AMOUNT = {
  JPY: { from: 10_000, span: 30_000_000 },
  CNY: { from: 50_000, span: 150_000_000 },
  USD: { from: 10_000, span: 25_000_000 },
} as const;
export const DAY_MS = 86_400_000;

export interface Customer {
  readonly currency: Currency;
  readonly segment: (typeof SEGMENTS)[number];
  readonly termsDays: number;
  /** A quarter of the book pays late and leaves a tail unpaid; the rest pays within weeks. */
  readonly slowPayer: boolean;
}

/** Where the generator writes, its random source, and days since the epoch as it counts them. */
export interface Generation {
  readonly dir: string;
  readonly rand: () => number;
  readonly today: number;
  iso(day: number): string;
}

/** mulberry32: small, fast and the same on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A field of COPY's CSV: text that may hold commas or quotes, quoted; JSON the same. */
export const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;

export type Field = string | number | boolean | null;

/** One table's rows as a CSV file, buffered, and the COPY that loads it. */
export class CsvFile {
  readonly path: string;
  readonly statement: string;
  rows = 0;
  private readonly out;
  private pending = '';

  constructor(dir: string, table: string, columns: readonly string[]) {
    this.path = join(dir, `${table}.csv`);
    this.statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`;
    this.out = createWriteStream(this.path);
  }

  async line(fields: readonly Field[]): Promise<void> {
    this.pending += `${fields.map((f) => (f === null ? '' : String(f))).join(',')}\n`;
    this.rows += 1;
    if (this.pending.length > 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}
