// What every part of `npm run bench` reports: one figure next to its floor, measured in the
// same run, with the ratio and, where the project sets one, the target and whether it was met.

export type Unit = 'ms' | 's' | 'rows/s' | 'MB';

export interface Figure {
  /** The part of the benchmark: 'lookup', 'aging', 'digest', 'import', 'search', 'memory', 'start'. */
  readonly section: string;
  /** What was measured, e.g. "/credit p99, c=50". */
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
  /** What the floor is, e.g. "signed select 1 p99, c=50". */
  readonly floorName: string;
  readonly floor: number;
  /**
   * value / floor for times and sizes (lower is better); for throughputs (rows/s) the share of
   * the floor's rate reached (higher is better).
   */
  readonly ratio: number;
  /** The target in words, e.g. "≤ 3× floor and < 3 s"; absent where none is set. */
  readonly target?: string;
  readonly met?: boolean;
  /** Anything else worth keeping in results.json: counts, p50/p95, n. */
  readonly detail?: Readonly<Record<string, number | string>>;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** A figure with its ratio worked out; `target` checks the value and the ratio. */
export function figure(
  f: Omit<Figure, 'ratio' | 'met' | 'target'> & {
    readonly target?: {
      readonly text: string;
      readonly met: (value: number, ratio: number) => boolean;
    };
  },
): Figure {
  const ratio = f.floor > 0 ? f.value / f.floor : 0;
  const { target, ...rest } = f;
  return {
    ...rest,
    value: round(f.value, f.value < 100 ? 2 : 1),
    floor: round(f.floor, f.floor < 100 ? 2 : 1),
    ratio: round(ratio, 2),
    ...(target ? { target: target.text, met: target.met(f.value, ratio) } : {}),
  };
}

const show = (x: number, unit: Unit) =>
  unit === 'rows/s'
    ? `${Math.round(x).toLocaleString('en')} rows/s`
    : `${x.toLocaleString('en', { maximumFractionDigits: x < 10 ? 2 : 1 })} ${unit}`;

/** The table `npm run bench` prints: every figure, its floor, the ratio and the target. */
export function formatFigures(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    show(f.value, f.unit),
    `${f.floorName}: ${show(f.floor, f.unit)}`,
    f.unit === 'rows/s' ? `${Math.round(f.ratio * 100)} %` : `${f.ratio.toFixed(2)}×`,
    f.target === undefined ? '' : `${f.met ? 'met' : 'MISSED'} (${f.target})`,
  ]);
  const head = ['section', 'figure', 'value', 'floor', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 4 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
