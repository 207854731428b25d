import { pinyin } from 'pinyin-pro';
import type { ContactMethod, ContactOutcome, Phase } from '../domain/credit.ts';
import { normalizeName } from '../domain/names.ts';

// Name material for the demo ledger. Stems that named customers use (アクメ, さくら, 東京,
// ミドリ, 华信, 龙腾, Northwind, Blue Harbor) are left out of the pools on purpose, so a
// look-up of a named customer never meets a generated twin.

export type Origin = 'JP' | 'CN' | 'EN';
export type Behaviour = 'prompt' | 'slow' | 'delinquent';
export type DemoLocale = 'ja' | 'zh' | 'en';

/** A small seeded generator (mulberry32): the same seed always gives the same ledger. */
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the keys, each as likely as its weight; key order is insertion order. */
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const at = <T>(items: readonly T[], index: number): T => {
    const item = items[index];
    if (item === undefined) throw new RangeError('cannot pick from an empty list');
    return item;
  };
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => at(items, int(0, items.length - 1)),
    weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
      const entries = Object.entries<number>(weights);
      let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [key, weight] of entries) {
        roll -= weight;
        if (roll < 0) return key as T;
      }
      return at(entries, entries.length - 1)[0] as T;
    },
  };
}

export interface DemoUser {
  readonly displayName: string;
  readonly role: 'sales' | 'collector' | 'credit_manager' | 'director';
  readonly locale: DemoLocale;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { displayName: '山田 太郎', role: 'sales', locale: 'ja' },
  { displayName: '佐藤 花子', role: 'collector', locale: 'ja' },
  { displayName: '鈴木 一郎', role: 'credit_manager', locale: 'ja' },
  { displayName: '高橋 美咲', role: 'director', locale: 'ja' },
  { displayName: '王伟', role: 'sales', locale: 'zh' },
  { displayName: '李娜', role: 'collector', locale: 'zh' },
  { displayName: '陈静', role: 'credit_manager', locale: 'zh' },
  { displayName: 'Emily Carter', role: 'sales', locale: 'en' },
  { displayName: 'James Whitfield', role: 'collector', locale: 'en' },
  { displayName: 'Priya Raman', role: 'credit_manager', locale: 'en' },
];

export const LOCALE_OF: Readonly<Record<Origin, DemoLocale>> = { JP: 'ja', CN: 'zh', EN: 'en' };

/** Indexes into DEMO_USERS of the people who own customers in a language (not directors). */
export function ownersFor(origin: Origin): number[] {
  return DEMO_USERS.flatMap((user, index) =>
    user.locale === LOCALE_OF[origin] && user.role !== 'director' ? [index] : [],
  );
}

export interface CustomerIdentity {
  readonly legalName: string;
  readonly nameKana?: string;
  readonly nameRomaji?: string;
  readonly namePinyin?: string;
  readonly aliases?: readonly string[];
  readonly origin: Origin;
  readonly country: string;
}

type Part = readonly [text: string, kana: string, romaji: string];

/** 'text/kana/romaji' triples separated by spaces, so the tables stay one glance wide. */
function parts(list: string): readonly Part[] {
  return list.split(' ').map((triple) => {
    const [text = '', kana = '', romaji = ''] = triple.split('/');
    return [text, kana, romaji];
  });
}

const JP_STEMS = parts(
  '青葉/アオバ/Aoba 大和/ヤマト/Yamato 富士/フジ/Fuji 北斗/ホクト/Hokuto ' +
    '日進/ニッシン/Nisshin 三光/サンコウ/Sanko 昭和/ショウワ/Showa 平和/ヘイワ/Heiwa ' +
    '栄光/エイコウ/Eiko 千代田/チヨダ/Chiyoda 丸山/マルヤマ/Maruyama ' +
    '中村/ナカムラ/Nakamura 浜松/ハママツ/Hamamatsu 大阪/オオサカ/Osaka ' +
    '名古屋/ナゴヤ/Nagoya 横浜/ヨコハマ/Yokohama 神戸/コウベ/Kobe 札幌/サッポロ/Sapporo ' +
    '福岡/フクオカ/Fukuoka 瀬戸内/セトウチ/Setouchi 東邦/トウホウ/Toho 光和/コウワ/Kowa ' +
    '共栄/キョウエイ/Kyoei 太陽/タイヨウ/Taiyo ひかり/ヒカリ/Hikari みなと/ミナト/Minato ' +
    'つばさ/ツバサ/Tsubasa サンライズ/サンライズ/Sunrise ハーモニー/ハーモニー/Harmony ' +
    'コスモ/コスモ/Cosmo',
);

const JP_TRADES = parts(
  '商事/ショウジ/Shoji 物産/ブッサン/Bussan 工業/コウギョウ/Kogyo 精機/セイキ/Seiki ' +
    '電機/デンキ/Denki 化学/カガク/Kagaku 運輸/ウンユ/Unyu 建設/ケンセツ/Kensetsu ' +
    '食品/ショクヒン/Shokuhin 製作所/セイサクショ/Seisakusho 産業/サンギョウ/Sangyo ' +
    '技研/ギケン/Giken 物流/ブツリュウ/Butsuryu 印刷/インサツ/Insatsu',
);

// 前株 and 後株 both, so look-ups must ignore where 株式会社 stands.
const JP_FORMS = { '株式会社*': 35, '*株式会社': 45, '有限会社*': 10, '合同会社*': 10 };

const CN_CITIES = ['上海', '北京', '深圳', '广州', '杭州', '苏州', '南京', '天津', '成都', '宁波'];
const CN_FIRST = [...'宏恒瑞鼎嘉博永汇众佳和金鑫天海新中东联卓'];
const CN_SECOND = [...'达通丰盛创禾远源成安诚德航合泰邦利升辉润'];
const CN_TRADES = ['贸易', '科技', '电子', '物流', '实业', '机械', '化工', '食品', '医药', '建材'];

const EN_FIRST = (
  'Contoso Fabrikam Tailspin Litware Wingtip Proseware Lucerne Woodgrove Alpine Summit ' +
  'Redwood Silverline Granite Evergreen Crescent Pioneer Sterling Meridian Keystone ' +
  'Oakridge Ironbridge Clearwater Highland Riverside Cobalt Falcon Kestrel Ashford'
).split(' ');
const EN_TRADES = (
  'Traders Logistics Holdings Industries Foods Electronics Supply Manufacturing Systems ' +
  'Textiles Chemicals Components Packaging'
).split(' ');
const EN_FORMS: Readonly<Record<'US' | 'GB' | 'SG', readonly string[]>> = {
  US: ['Inc.', 'LLC', 'Corp.', 'Co., Ltd.'],
  GB: ['Ltd.', 'plc', 'Limited'],
  SG: ['Pte. Ltd.'],
};

function japaneseName(random: Random): CustomerIdentity {
  const [stem, stemKana, stemRomaji] = random.pick(JP_STEMS);
  const [trade, tradeKana, tradeRomaji] = random.pick(JP_TRADES);
  return {
    legalName: random.weighted(JP_FORMS).replace('*', `${stem}${trade}`),
    nameKana: `${stemKana}${tradeKana}`,
    nameRomaji: `${stemRomaji} ${tradeRomaji}`,
    origin: 'JP',
    country: 'JP',
  };
}

function chineseName(random: Random): CustomerIdentity {
  const stem = `${random.pick(CN_FIRST)}${random.pick(CN_SECOND)}`;
  const city = random.pick(CN_CITIES);
  const form = random.weighted({ 有限公司: 55, 股份有限公司: 30, 集团有限公司: 15 });
  const trade = form === '集团有限公司' ? '' : random.pick(CN_TRADES);
  const namePinyin = pinyin(stem, { toneType: 'none', type: 'array' }).join('');
  return { legalName: `${city}${stem}${trade}${form}`, namePinyin, origin: 'CN', country: 'CN' };
}

function englishName(random: Random): CustomerIdentity {
  const country = random.weighted({ US: 60, GB: 20, SG: 20 });
  const form = random.pick(EN_FORMS[country]);
  const legalName = `${random.pick(EN_FIRST)} ${random.pick(EN_TRADES)} ${form}`;
  return { legalName, origin: 'EN', country };
}

const NAME_MAKERS: Readonly<Record<Origin, (random: Random) => CustomerIdentity>> = {
  JP: japaneseName,
  CN: chineseName,
  EN: englishName,
};

/** Every searchable form of a customer's name, as look-ups compare them. */
export function nameKeys(identity: CustomerIdentity): string[] {
  const { legalName, nameKana, nameRomaji, namePinyin, aliases = [] } = identity;
  return [legalName, nameKana, nameRomaji, namePinyin, ...aliases]
    .filter((name): name is string => name !== undefined)
    .map(normalizeName);
}

/** Draws names until one shares no searchable form with a name in `used`, then adds it. */
export function drawUniqueName(random: Random, origin: Origin, used: Set<string>) {
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    const identity = NAME_MAKERS[origin](random);
    const keys = nameKeys(identity);
    if (keys.some((key) => used.has(key))) continue;
    for (const key of keys) used.add(key);
    return identity;
  }
  throw new Error(`demo data ran out of ${origin} names`);
}

type Notes = Readonly<Record<ContactOutcome, readonly string[]>>;

/** What a collector writes after a contact, in the customer's language, by outcome. */
export const CONTACT_NOTES: Readonly<Record<DemoLocale, Notes>> = {
  ja: {
    reached: ['経理担当者と話し、請求書の受領を確認。', '支払状況を社内で確認中とのこと。'],
    no_answer: ['不在。折り返しを依頼。', '担当者不在のため留守電を残した。'],
    promise: ['来週末に振込予定とのこと。', '月末に全額支払うとの回答。'],
    dispute: ['納品数量に相違があるとの指摘。確認中。', '単価に異議あり。営業に確認を依頼。'],
    refused: ['資金繰りが厳しく、支払時期は未定とのこと。'],
  },
  zh: {
    reached: ['已与财务确认收到发票。', '对方表示正在走付款审批流程。'],
    no_answer: ['电话无人接听，已发邮件跟进。', '联系人不在，已留言。'],
    promise: ['财务说下周安排付款。', '对方承诺月底前付清。'],
    dispute: ['客户称到货数量不符，正在核实。', '对单价有异议，已转销售确认。'],
    refused: ['对方称资金紧张，暂不能确定付款时间。'],
  },
  en: {
    reached: ['Spoke to AP; invoice received and in approval.', 'Controller is checking status.'],
    no_answer: ['No answer; left a voicemail and sent an email.', 'Out of office until Monday.'],
    promise: ['AP team confirmed payment run on Friday.', 'Promised full payment by month end.'],
    dispute: ['Disputes quantities delivered; checking with the warehouse.', 'Pricing disputed.'],
    refused: ['Says cash is tight and will not commit to a date.'],
  },
};

/** UTC offsets for contact times, so a call logged at 10:00 in Tokyo reads as such. */
export const UTC_OFFSET: Readonly<Record<string, string>> = {
  JP: '+09:00',
  CN: '+08:00',
  SG: '+08:00',
  GB: '+00:00',
  US: '-05:00',
};

/** A contact that must be in the ledger; a past promise is kept or broken as scripted. */
export interface ScriptedContact {
  readonly daysAgo: number;
  readonly method: ContactMethod;
  readonly outcome: ContactOutcome;
  readonly promise?: 'kept' | 'broken';
}

/** The customers docs and tests name; anything left out is drawn like any other customer. */
export interface NamedCustomer extends CustomerIdentity {
  /** Index into DEMO_USERS. */
  readonly owner: number;
  readonly phase: Phase;
  readonly behaviour: Behaviour;
  readonly limitMinor?: number;
  /** What invoice sizes are drawn against when that is not the limit (a limit of 0 on hold). */
  readonly scaleMinor?: number;
  readonly strategic?: boolean;
  readonly blacklisted?: boolean;
  readonly creditHold?: boolean;
  readonly score?: number;
  /** Days past due of open invoices that must exist (negative: not yet due). */
  readonly tails?: readonly number[];
  /** Size of each of those invoices as a percentage of the customer's scale. */
  readonly tailPct?: number;
  readonly disputedAt?: number;
  readonly contacts?: readonly ScriptedContact[];
}

const JP = { origin: 'JP', country: 'JP' } as const;
const CN = { origin: 'CN', country: 'CN' } as const;
const US = { origin: 'EN', country: 'US' } as const;

export const NAMED_CUSTOMERS: readonly NamedCustomer[] = [
  {
    ...JP,
    legalName: '株式会社アクメ',
    nameKana: 'アクメ',
    nameRomaji: 'Acme',
    aliases: ['艾克美'],
    owner: 0,
    phase: 'ongoing',
    behaviour: 'prompt',
    score: 72,
    limitMinor: 30_000_000,
    tails: [-12, 18, 42, 70],
    contacts: [
      { daysAgo: 20, method: 'call', outcome: 'reached' },
      { daysAgo: 4, method: 'email', outcome: 'promise' },
    ],
  },
  {
    ...JP,
    legalName: 'アクメ商事株式会社',
    nameKana: 'アクメショウジ',
    nameRomaji: 'Acme Shoji',
    owner: 1,
    phase: 'ongoing',
    behaviour: 'prompt',
  },
  {
    ...CN,
    legalName: '上海华信贸易有限公司',
    namePinyin: 'huaxin',
    owner: 4,
    phase: 'ongoing',
    behaviour: 'slow',
    tails: [-15, 10, 40, 80, 130],
    contacts: [
      { daysAgo: 30, method: 'email', outcome: 'promise', promise: 'kept' },
      { daysAgo: 8, method: 'call', outcome: 'reached' },
    ],
  },
  {
    ...US,
    legalName: 'Northwind Traders Co., Ltd.',
    owner: 7,
    phase: 'ongoing',
    behaviour: 'slow',
    tails: [-5, 25, 55, 65, 95],
    disputedAt: 33,
  },
  {
    ...JP,
    legalName: '株式会社さくら物産',
    nameKana: 'サクラブッサン',
    nameRomaji: 'Sakura Bussan',
    owner: 1,
    phase: 'watch',
    behaviour: 'delinquent',
    score: 48,
    limitMinor: 20_000_000,
    // Five invoices of 30 % of the limit each: over the limit on open invoices alone.
    tails: [20, 45, 95, 130, 160],
    tailPct: 30,
    contacts: [
      { daysAgo: 40, method: 'call', outcome: 'promise', promise: 'broken' },
      { daysAgo: 12, method: 'visit', outcome: 'refused' },
    ],
  },
  {
    ...JP,
    legalName: '東京精機株式会社',
    nameKana: 'トウキョウセイキ',
    nameRomaji: 'Tokyo Seiki',
    owner: 2,
    phase: 'ongoing',
    behaviour: 'prompt',
    strategic: true,
    score: 88,
    limitMinor: 150_000_000,
  },
  {
    ...CN,
    legalName: '深圳龙腾科技股份有限公司',
    namePinyin: 'longteng',
    owner: 5,
    phase: 'incident',
    behaviour: 'delinquent',
    creditHold: true,
    score: 22,
    limitMinor: 0,
    scaleMinor: 300_000_000,
    tails: [35, 95],
  },
  {
    ...US,
    legalName: 'Blue Harbor Logistics Inc.',
    owner: 8,
    phase: 'watch',
    behaviour: 'delinquent',
    blacklisted: true,
    score: 30,
    disputedAt: 70,
  },
  {
    ...JP,
    legalName: '株式会社ミドリ',
    nameKana: 'ミドリ',
    nameRomaji: 'Midori',
    owner: 0,
    phase: 'ongoing',
    behaviour: 'prompt',
  },
  {
    ...JP,
    legalName: 'ミドリ株式会社',
    nameKana: 'ミドリ',
    nameRomaji: 'Midori',
    owner: 1,
    phase: 'ongoing',
    behaviour: 'slow',
  },
];
