import { DeliveryError } from '../app/outbox-ports.ts';
import type { CardChart } from './card.ts';

// Platforms that post pictures (Slack, Telegram) draw a chart card at delivery, with the
// renderer main.ts hands their deliverers.

/** Draws a chart card as a PNG (src/io/aging-chart.ts, handed in by main.ts). */
export type ChartRenderer = (chart: CardChart) => Promise<Uint8Array>;

/** The chart's PNG, or a permanent delivery failure when it cannot be drawn. */
export async function drawChart(chart: CardChart, draw: ChartRenderer): Promise<Uint8Array> {
  try {
    return await draw(chart);
  } catch (error) {
    // A missing font or a drawing bug fails the same way on every attempt.
    throw new DeliveryError(`chart drawing failed: ${(error as Error).message}`, {
      permanent: true,
    });
  }
}
