import { isRomaji, toHiragana } from 'wanakana';

// Legal-form words people leave out when they type a name. CJK forms are removed wherever
// they stand (前株 and 後株 alike); Latin forms only as trailing words, so "Co-op Foods" and
// "Incline Ltd." keep their own words.
const CJK_DESIGNATORS = [
  '股份有限公司',
  '有限责任公司',
  '有限責任公司',
  '股份公司',
  '有限公司',
  '株式会社',
  '有限会社',
  '合同会社',
  '合資会社',
  '合名会社',
  '一般社団法人',
  '一般財団法人',
  'かぶしきがいしゃ',
  'ゆうげんがいしゃ',
  '(株)',
  '(有)',
  '(合)',
  '(同)',
];

const LATIN_DESIGNATORS = new Set([
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'plc',
  'kk',
  'gk',
  'gmbh',
  'pte',
  'pty',
  'sa',
  'ag',
  'bv',
  'nv',
]);

const KATAKANA = /[\u30a1-\u30f6]/g;
const NOT_NAME_CHARACTER = /[^\p{L}\p{N}]+/gu;

function katakanaToHiragana(text: string): string {
  return text.replace(KATAKANA, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

function stripLatinDesignators(text: string): string {
  const words = text.split(/[\s.,&/()\-・]+/u).filter((w) => w.length > 0);
  while (words.length > 1 && LATIN_DESIGNATORS.has(words[words.length - 1] ?? '')) words.pop();
  return words.join(' ');
}

/**
 * The form a name is stored and searched under: NFKC (full-width ＡＣＭＥ → ACME, half-width
 * ｱｸﾒ → アクメ, ㈱ → (株)), lower case, katakana folded to hiragana, legal forms dropped,
 * spaces and punctuation removed. 株式会社アクメ, (株)アクメ and あくめ all become あくめ.
 */
export function normalizeName(input: string): string {
  let text = input.normalize('NFKC').toLowerCase();
  text = katakanaToHiragana(text);
  for (const designator of CJK_DESIGNATORS) text = text.split(designator).join(' ');
  text = stripLatinDesignators(text);
  const compact = text.replace(NOT_NAME_CHARACTER, '');
  return compact;
}

/**
 * The keys to look a query up under: its normalized form and, when it is typed in romaji
 * ("akume"), its hiragana reading too, so it meets names stored in kana.
 */
export function searchKeys(query: string): string[] {
  const key = normalizeName(query);
  if (key.length === 0) return [];
  const keys = [key];
  if (/^[a-z]+$/.test(key) && isRomaji(key)) {
    const kana = toHiragana(key);
    if (kana !== key && !/[a-z]/.test(kana)) keys.push(kana);
  }
  return keys;
}
