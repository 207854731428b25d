import { renderAsync } from '@resvg/resvg-js';
import { expressionFunction, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Locale } from '../app/locales.ts';
import type { CardChart } from '../chat/card.ts';
import { minorDigits } from '../domain/money.ts';
import { findCjkFont } from './chart-font.ts';

export { ChartFontMissingError, CJK_FONT_PATHS, findCjkFont } from './chart-font.ts';

// The digest's aging chart as a PNG, drawn on the server without a browser: a vega-lite spec,
// laid out by vega into SVG (no canvas), then rasterised by resvg with a CJK font so Japanese
// and Chinese labels draw. Measured on a 2-core machine: about 0.3 s a chart, most of it
// resvg reading the 19 MB font collection; resvg runs off the event loop.

/**
 * Laid out at 800×400 CSS pixels, drawn at 2× (a 1600×800 PNG) so it stays sharp on
 * high-density screens; Slack shows it scaled down in the channel and full size on a click.
 */
export const CHART_SIZE = { width: 800, height: 400, scale: 2 } as const;

/** The family names inside the collection: Japanese and Chinese shapes of the same characters. */
const FAMILY: Record<Locale, string> = {
  en: 'Noto Sans CJK JP',
  ja: 'Noto Sans CJK JP',
  zh: 'Noto Sans CJK SC',
};
const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' };

// Axis numbers in the reader's short form: 1,200万 / 12M. Registered once for every chart;
// vega calls it with the tick value and the `format` object of the axis.
const AMOUNT_FORMAT = 'creditopsAmount';
const compact = new Map<string, Intl.NumberFormat>();
expressionFunction(AMOUNT_FORMAT, (value: number, format: { readonly locale?: string }) => {
  const tag = format.locale ?? 'en-US';
  let f = compact.get(tag);
  if (!f) {
    f = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
    compact.set(tag, f);
  }
  return f.format(value);
});

const PADDING = 12;
const PANEL_GAP = 20;
/**
 * Room for the bucket names left of the bars. vega measures text without a canvas by
 * character count, which is too narrow for CJK (a full-width character is about 1 em), so
 * the axis gets a fixed width instead of a measured one.
 */
const LABEL_SPACE = 96;
/** Height taken by the title, the panel headings and the amount axis. */
const FURNITURE_HEIGHT = 63;

/**
 * The chart's amounts in major units, for drawing only: the bar lengths and axis ticks are
 * floats here and nowhere else; the money itself stays in integer minor units.
 */
function majorUnits(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/** The vega-lite spec: one panel per currency, one bar per bucket, youngest at the top. */
export function agingChartSpec(chart: CardChart): TopLevelSpec {
  const { width, height } = CHART_SIZE;
  const panels = Math.max(chart.series.length, 1);
  const panelWidth = Math.floor(
    (width - 2 * PADDING - LABEL_SPACE - (panels - 1) * PANEL_GAP) / panels,
  );
  const labels = chart.categories.map((c) => c.label);
  const family = FAMILY[chart.locale];
  return {
    padding: PADDING,
    background: 'white',
    title: { text: chart.title, anchor: 'start', fontSize: 16, fontWeight: 'normal', offset: 12 },
    config: { font: family, customFormatTypes: true, view: { stroke: null } },
    spacing: PANEL_GAP,
    hconcat: chart.series.map((series, index) => {
      const max = Math.max(0, ...series.amountsMinor);
      return {
        width: panelWidth,
        height: height - 2 * PADDING - FURNITURE_HEIGHT,
        title: { text: series.label, anchor: 'middle', fontSize: 13, fontWeight: 'normal' },
        data: {
          values: labels.map((bucket, i) => ({
            bucket,
            amount: majorUnits(series.amountsMinor[i] ?? 0, series.currency),
          })),
        },
        mark: { type: 'bar' },
        encoding: {
          y: {
            field: 'bucket',
            type: 'nominal',
            sort: labels,
            scale: { domain: labels },
            title: null,
            // Every panel has the same buckets in the same rows: only the first names them.
            axis:
              index === 0
                ? {
                    minExtent: LABEL_SPACE,
                    maxExtent: LABEL_SPACE,
                    labelLimit: LABEL_SPACE,
                    labelFontSize: 12,
                    labelPadding: 6,
                    ticks: false,
                    domain: false,
                  }
                : null,
          },
          x: {
            field: 'amount',
            type: 'quantitative',
            title: null,
            // A currency with nothing open still gets an axis from 0, not a collapsed one.
            scale: max === 0 ? { domain: [0, 1] } : { domainMin: 0, nice: true },
            axis: {
              format: { locale: INTL_LOCALE[chart.locale] },
              formatType: AMOUNT_FORMAT,
              tickCount: 3,
              labelFontSize: 11,
              labelFlush: true,
              ...(max === 0 ? { values: [0] } : {}),
            },
          },
          color: {
            field: 'bucket',
            type: 'nominal',
            scale: { domain: labels, range: chart.categories.map((c) => c.colour) },
            legend: null,
          },
        },
      };
    }),
  };
}

/**
 * The chart as an SVG document of exactly CHART_SIZE: vega sizes a multi-panel chart from
 * its contents, so the drawing is fitted (centred, never stretched) into the fixed frame.
 */
export async function agingChartSvg(chart: CardChart): Promise<string> {
  const view = new View(parse(compile(agingChartSpec(chart)).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const root = /^<svg([^>]*?) width="[\d.]+" height="[\d.]+"/;
    if (!root.test(svg)) throw new Error('vega returned an SVG without a sized root element');
    const { width, height } = CHART_SIZE;
    return svg.replace(
      root,
      `<svg$1 width="${width}" height="${height}" preserveAspectRatio="xMidYMid meet"`,
    );
  } finally {
    view.finalize();
  }
}

/** The chart as a PNG of CHART_SIZE × scale pixels, with its labels in a CJK font. */
export async function renderAgingChart(
  chart: CardChart,
  options: { readonly fontFile?: string } = {},
): Promise<Uint8Array> {
  const fontFile = options.fontFile ?? findCjkFont();
  const family = FAMILY[chart.locale];
  const image = await renderAsync(await agingChartSvg(chart), {
    fitTo: { mode: 'zoom', value: CHART_SIZE.scale },
    background: 'white',
    // Only the CJK font: system fonts differ between machines and take longer to load.
    font: {
      loadSystemFonts: false,
      fontFiles: [fontFile],
      defaultFontFamily: family,
      sansSerifFamily: family,
    },
    languages: [INTL_LOCALE[chart.locale]],
  });
  return image.asPng();
}
