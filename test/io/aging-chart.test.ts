import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/app/locales.ts';
import type { CardChart } from '../../src/chat/card.ts';
import { ageColour } from '../../src/chat/digest-chart.ts';
import {
  agingChartSvg,
  CHART_SIZE,
  ChartFontMissingError,
  findCjkFont,
  renderAgingChart,
} from '../../src/io/aging-chart.ts';

// The digest's aging chart drawn without a browser: a PNG of the promised size whose Japanese
// and Chinese bucket names are really drawn (resvg draws nothing for a glyph it has no font for).

const BUCKETS: Record<Locale, readonly string[]> = {
  en: ['Current', '1–30 days', '31–60 days', '61–90 days', '91+ days'],
  ja: ['期日未到来', '1〜30日', '31〜60日', '61〜90日', '91日以上'],
  zh: ['未到期账款', '1–30天', '31–60天', '61–90天', '91天以上'],
};

function chart(
  locale: Locale,
  series: readonly { currency: string; amountsMinor: number[] }[],
): CardChart {
  return {
    title: locale === 'en' ? 'Aging of receivables' : '売掛金エイジング',
    altText: 'aging',
    fileName: 'aging.png',
    locale,
    categories: BUCKETS[locale].map((label, i) => ({ label, colour: ageColour(i, 5) })),
    series: series.map((s) => ({ ...s, label: s.currency })),
  };
}

const JPY = { currency: 'JPY', amountsMinor: [12_000_000, 5_000_000, 2_000_000, 0, 700_000] };

type Rgb = readonly [number, number, number];
const rgb = (hex: string): Rgb =>
  [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;

/** Decoded pixels with a few questions a reader's eye would ask. */
function pixels(png: Uint8Array) {
  const image = PNG.sync.read(Buffer.from(png));
  const at = (x: number, y: number): Rgb => {
    const i = (y * image.width + x) * 4;
    return [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0];
  };
  const is = (x: number, y: number, colour: Rgb) => at(x, y).every((c, i) => c === colour[i]);
  return {
    width: image.width,
    height: image.height,
    /** The rows and leftmost column of the first bar drawn in `colour`, if any. */
    bar(colour: Rgb) {
      for (let x = 0; x < image.width; x++)
        for (let y = 0; y < image.height; y++) {
          if (!is(x, y, colour)) continue;
          let bottom = y;
          while (bottom + 1 < image.height && is(x, bottom + 1, colour)) bottom++;
          return { left: x, top: y, bottom };
        }
      return undefined;
    },
    /** Separate runs of `colour` along row y: one per panel that has a bar there. */
    runs(y: number, colour: Rgb) {
      let runs = 0;
      for (let x = 0, inside = false; x < image.width; x++) {
        const hit = is(x, y, colour);
        if (hit && !inside) runs++;
        inside = hit;
      }
      return runs;
    },
    /** Leftmost and rightmost dark pixel in a box: where text put ink. */
    ink(box: { left: number; right: number; top: number; bottom: number }) {
      let first = -1;
      let last = -1;
      for (let x = box.left; x < box.right; x++)
        for (let y = box.top; y <= box.bottom; y++) {
          if (Math.max(...at(x, y)) < 128) {
            if (first < 0) first = x;
            last = x;
            break;
          }
        }
      return first < 0 ? 0 : last - first + 1;
    },
  };
}

describe(renderAgingChart.name, () => {
  it('draws a PNG of 800×400 at 2× for one currency and for several', async () => {
    for (const series of [[JPY], [JPY, { ...JPY, currency: 'USD' }, { ...JPY, currency: 'CNY' }]]) {
      const png = await renderAgingChart(chart('ja', series));
      expect(Buffer.from(png.subarray(0, 8))).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      const image = pixels(png);
      expect([image.width, image.height]).toEqual([
        CHART_SIZE.width * CHART_SIZE.scale,
        CHART_SIZE.height * CHART_SIZE.scale,
      ]);
    }
  });

  it.each(['ja', 'zh'] as const)('draws the %s bucket names in the CJK font', async (locale) => {
    const described = chart(locale, [JPY]);
    const image = pixels(await renderAgingChart(described));
    // The not-yet-due bar; its name sits left of it, on the same rows.
    const bar = image.bar(rgb(ageColour(0, 5)));
    if (!bar) throw new Error('no bar in the colour of the first bucket');
    const label = { left: 0, right: bar.left, top: bar.top, bottom: bar.bottom };
    // 期日未到来 / 未到期账款: five full-width characters at 12 px, drawn at 2×: about 5 × 24 px.
    const width = image.ink(label);
    expect(width).toBeGreaterThan(5 * 12 * CHART_SIZE.scale * 0.8);
    expect(width).toBeLessThan(5 * 12 * CHART_SIZE.scale * 1.2);

    // The same drawing without any font leaves that place blank: the ink is the CJK glyphs.
    const bare = new Resvg(await agingChartSvg(described), {
      fitTo: { mode: 'zoom', value: CHART_SIZE.scale },
      background: 'white',
      font: { loadSystemFonts: false },
      logLevel: 'off',
    });
    expect(pixels(bare.render().asPng()).ink(label)).toBe(0);
  });

  it('gives each currency its own panel and draws nothing for an empty bucket', async () => {
    const png = await renderAgingChart(
      chart('en', [
        { currency: 'JPY', amountsMinor: [1_000_000, 0, 0, 0, 500_000] },
        { currency: 'USD', amountsMinor: [0, 0, 0, 0, 0] },
        { currency: 'CNY', amountsMinor: [200_000, 300_000, 0, 0, 0] },
      ]),
    );
    const image = pixels(png);
    const colours = [0, 1, 2, 3, 4].map((i) => rgb(ageColour(i, 5)));
    const middle = (i: number) => {
      const bar = image.bar(colours[i] as Rgb);
      return bar ? Math.round((bar.top + bar.bottom) / 2) : undefined;
    };
    // Not yet due: JPY and CNY have some, USD nothing at all.
    expect(image.runs(middle(0) ?? -1, colours[0] as Rgb)).toBe(2);
    expect(image.runs(middle(1) ?? -1, colours[1] as Rgb)).toBe(1);
    expect(middle(2)).toBeUndefined();
    expect(middle(3)).toBeUndefined();
    expect(image.runs(middle(4) ?? -1, colours[4] as Rgb)).toBe(1);
  });

  it('labels the amount axis in the reader’s short form, never as raw minor units', async () => {
    const ja = await agingChartSvg(chart('ja', [JPY]));
    expect(ja).toContain('>500万<');
    expect(ja).not.toContain('5000000');
    const en = await agingChartSvg(chart('en', [{ currency: 'USD', amountsMinor: [1_000_050] }]));
    // $10,000.50 in cents: the axis runs in dollars.
    expect(en).toMatch(/>10K</);
  });
});

describe(findCjkFont.name, () => {
  it('finds the font of fonts-noto-cjk on this machine', () => {
    expect(findCjkFont()).toMatch(/NotoSansCJK-Regular\.ttc$/);
  });

  it('names the Debian package to install when no CJK font is there', () => {
    expect(() => findCjkFont(['/nonexistent/NotoSansCJK-Regular.ttc'])).toThrow(
      ChartFontMissingError,
    );
    expect(() => findCjkFont(['/nonexistent/NotoSansCJK-Regular.ttc'])).toThrow(/fonts-noto-cjk/);
  });
});
