import type { Locale } from '../../src/app/locales.ts';
import type { Card, CardAction, CardTable } from '../../src/chat/card.ts';
import type { StatusColour } from '../../src/domain/credit.ts';

// A card far past every platform limit, for the renderers' acceptance tests: a 400-character
// title, 37 long fields, 30 sections with big tables, 200 lines and a long footer, in each
// language's credit wording with the characters markup must escape. Each platform's test
// sizes the parts its own limits are about.

const SAMPLE: Record<Locale, string> = {
  en: 'Receivable overdue, dispute & <escalation> pending ',
  ja: '売掛金の回収遅延・与信限度額の見直し＆<督促>対応中 ',
  zh: '应收账款逾期催收、信用额度复核＆<审批>进行中 ',
};

/** Exactly `n` characters of the wording, starting with `seed`. */
export type Say = (n: number, seed?: string) => string;

export interface ExtremeShape {
  readonly colour: StatusColour;
  /** Characters in each section's line. */
  readonly sectionLine: number;
  /** Characters in each of the card's 200 lines. */
  readonly line: number;
  readonly actions: number;
  /** The style of the action at `index`, if any. */
  readonly style?: (index: number) => CardAction['style'];
  /** Each section's table; by default four columns and 40 rows with grouped amounts. */
  readonly table?: (say: Say) => CardTable;
  /** Wording to repeat instead of the language's own (more characters to escape). */
  readonly sample?: string;
}

const fourColumns = (say: Say): CardTable => ({
  columns: ['#', say(12), say(12), say(12)],
  rows: Array.from({ length: 40 }, (_, r) => [
    `${r}`,
    say(20),
    `¥${(r * 1_234_567).toLocaleString('en')}`,
    `${r * 7}%`,
  ]),
  align: ['right', 'left', 'right', 'right'],
});

export function extremeCard(locale: Locale, shape: ExtremeShape): Card {
  const sample = shape.sample ?? SAMPLE[locale];
  const say: Say = (n, seed = '') => `${seed}${sample.repeat(n)}`.slice(0, n);
  const table = shape.table ?? fourColumns;
  return {
    title: say(400, '★'),
    subtitle: say(300),
    status: { colour: shape.colour, label: say(200) },
    fields: Array.from({ length: 37 }, (_, i) => ({ label: say(40, `${i} `), value: say(2500) })),
    sections: Array.from({ length: 30 }, (_, s) => ({
      heading: say(100, `${s} `),
      table: table(say),
      lines: [say(shape.sectionLine)],
    })),
    lines: Array.from({ length: 200 }, (_, i) => say(shape.line, `${i} `)),
    actions: Array.from({ length: shape.actions }, (_, i) => {
      const style = shape.style?.(i);
      return {
        label: say(120, `${i} `),
        command: `/credit log C${i}`,
        ...(style ? { style } : {}),
      };
    }),
    footer: say(2500),
  };
}
