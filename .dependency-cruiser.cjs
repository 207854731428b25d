/**
 * The layering of DESIGN §3, enforced in `npm test`:
 *   domain ← app ← {db, chat} ← {adapters, http} ← main.ts / cli.ts; jobs/ call app/ only
 * Arrows never reverse; adapters never import each other; each platform SDK stays in
 * its own adapter folder.
 */
const layer = (name) => `^src/${name}/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'domain/ holds credit logic only: no other layer, no I/O, no database. Pure libraries only: kana conversion, schema validation of policy configuration, public-holiday calendars.',
      severity: 'error',
      from: { path: layer('domain') },
      to: {
        pathNot: [
          layer('domain'),
          '^node_modules/(wanakana|zod|@holiday-jp/holiday_jp|chinese-days)/',
        ],
      },
    },
    {
      name: 'app-depends-on-domain-only',
      comment: 'app/ declares ports; db/ and adapters implement them.',
      severity: 'error',
      from: { path: layer('app') },
      to: {
        path: [
          '^src/(db|chat|adapters|jobs|http|io)/',
          '^src/(main|cli[a-z-]*|config|startup)\\.ts$',
        ],
      },
    },
    {
      name: 'app-no-drivers',
      severity: 'error',
      from: { path: layer('app') },
      to: { path: ['node_modules/(kysely|pg|@electric-sql|@slack|@line|grammy)/'] },
    },
    {
      name: 'db-serves-app',
      comment: 'db/ implements app ports; it never reaches up into chat, adapters, jobs or http.',
      severity: 'error',
      from: { path: layer('db') },
      to: { path: ['^src/(chat|adapters|jobs|http|io)/', '^src/(main|cli[a-z-]*)\\.ts$'] },
    },
    {
      name: 'chat-is-platform-neutral',
      severity: 'error',
      from: { path: layer('chat') },
      to: { path: ['^src/(db|adapters|jobs|http|io)/', '^src/(main|cli[a-z-]*)\\.ts$'] },
    },
    {
      name: 'jobs-call-app',
      comment:
        'jobs/ run app/ use cases and ports on a schedule; main.ts hands them the database, the platforms and the rendering.',
      severity: 'error',
      from: { path: layer('jobs') },
      to: {
        path: ['^src/(chat|adapters|http|io)/', '^src/(main|cli[a-z-]*|config|startup)\\.ts$'],
      },
    },
    {
      name: 'adapters-do-not-touch-the-database',
      comment:
        'Adapters, jobs, http and file formats (io/) reach data only through app/ use cases.',
      severity: 'error',
      from: { path: '^src/(adapters|jobs|http|io)/' },
      to: {
        path: ['^src/db/', '^src/(main|cli)\\.ts$', 'node_modules/(kysely|pg|@electric-sql)/'],
      },
    },
    {
      name: 'adapters-are-independent',
      comment: 'A new platform is one new folder; no adapter imports another.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/$1/' },
    },
    {
      name: 'slack-sdk-in-slack-adapter',
      severity: 'error',
      from: { pathNot: '^src/adapters/slack/' },
      to: { path: 'node_modules/@slack/' },
    },
    {
      name: 'line-sdk-in-line-adapter',
      severity: 'error',
      from: { pathNot: '^src/adapters/line/' },
      to: { path: 'node_modules/@line/' },
    },
    {
      name: 'grammy-in-telegram-adapter',
      severity: 'error',
      from: { pathNot: '^src/adapters/telegram/' },
      to: { path: 'node_modules/grammy/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data|coverage)/' },
    moduleSystems: ['es6'],
    // TypeScript 7 has no JS API for dependency-cruiser to parse with; swc reads the sources.
    parser: 'swc',
    tsPreCompilationDeps: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
