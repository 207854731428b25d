import { addDays, daysBetween, type IsoDate, isIsoDate } from './dates.ts';
import { DomainError } from './errors.ts';

/**
 * How far back and ahead a date typed without a year may land. Collectors log promised
 * payment dates for the coming months, and now and then log a contact a few weeks late, so
 * "1/10" typed in late November is next January, while "11/1" is three weeks ago. The
 * window is 366 days long, so every month and day (29 February aside) falls in it once.
 */
export const LOOSE_DATE_DAYS_BACK = 60;
export const LOOSE_DATE_DAYS_AHEAD = 305;

const TODAY_WORDS = new Set(['today', '今日', '今天']);
const TOMORROW_WORDS = new Set(['tomorrow', '明日', '明天']);

// Month always comes before day, as in ISO, Japanese and Chinese writing. '.' is accepted
// only with a year (2026.12.05 is common on Japanese and Chinese forms; 5.12 alone reads
// as 5 December to a European). 号 and 號 are the spoken Chinese day suffix.
const WITH_YEAR = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/u,
  /^(\d{4})年(\d{1,2})月(\d{1,2})[日号號]?$/u,
];
const WITHOUT_YEAR = [/^(\d{1,2})[-/](\d{1,2})$/u, /^(\d{1,2})月(\d{1,2})[日号號]?$/u];

function isoOf(year: number, month: number, day: number): IsoDate {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function invalid(text: string): DomainError {
  return new DomainError('errors.date.invalid_loose', { value: text });
}

/**
 * A date as a person types it in chat: 2026-12-05, 2026/12/05, 2026年12月5日, 12/5, 12-05,
 * 12月5日, 12月5号, in full-width digits too, or today/今日/今天, tomorrow/明日/明天. A
 * date without a year takes the year that puts it within [today − 60, today + 305 days]
 * (see LOOSE_DATE_DAYS_BACK); a date with a year is taken as written. Throws
 * DomainError('errors.date.invalid_loose', { value }) for text that is not a real date
 * (2/30, 13/1, or 2/29 when no leap day falls in the window).
 */
export function parseLooseDate(text: string, today: IsoDate): IsoDate {
  const folded = text.normalize('NFKC').trim().toLowerCase();
  if (TODAY_WORDS.has(folded)) return today;
  if (TOMORROW_WORDS.has(folded)) return addDays(today, 1);

  for (const pattern of WITH_YEAR) {
    const match = pattern.exec(folded);
    if (!match) continue;
    const iso = isoOf(Number(match[1]), Number(match[2]), Number(match[3]));
    if (!isIsoDate(iso)) throw invalid(text);
    return iso;
  }

  for (const pattern of WITHOUT_YEAR) {
    const match = pattern.exec(folded);
    if (!match) continue;
    const month = Number(match[1]);
    const day = Number(match[2]);
    const year = Number(today.slice(0, 4));
    // The window can hold the same month and day twice only when it spans exactly a
    // 365-day year end to end; then the one nearer today wins.
    const candidates = [year - 1, year, year + 1]
      .map((y) => isoOf(y, month, day))
      .filter((iso) => isIsoDate(iso))
      .map((iso) => ({ iso, offset: daysBetween(today, iso) }))
      .filter(({ offset }) => offset >= -LOOSE_DATE_DAYS_BACK && offset <= LOOSE_DATE_DAYS_AHEAD)
      .sort((a, b) => Math.abs(a.offset) - Math.abs(b.offset));
    const best = candidates[0];
    if (best === undefined) throw invalid(text);
    return best.iso;
  }

  throw invalid(text);
}
