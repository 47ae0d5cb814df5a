/**
 * The house's boundaries, checked by `npm run lint:deps` in .ci/run before the tests.
 * A red rule is a design question: move the code to where it belongs rather than silencing it.
 */
const FRAMEWORK_OR_IO = '^node_modules/(@nestjs|typeorm|bullmq|ioredis|pg|pg-[a-z-]+|pino|express|@bull-board|class-validator|class-transformer|exceljs|csv-parse|csv-stringify|helmet)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'matching-is-self-contained',
      comment: 'The allocation algorithm is a pure library: it imports no other part of the project and no framework.',
      severity: 'error',
      from: { path: '^libs/matching/' },
      to: { pathNot: ['^libs/matching/', '^node_modules/', '^(node:)?[a-z_]+$'] },
    },
    {
      name: 'matching-has-no-framework',
      comment: 'The allocation algorithm must stay runnable without a database, queue or web framework.',
      severity: 'error',
      from: { path: '^libs/matching/src/' },
      to: { path: FRAMEWORK_OR_IO },
    },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain holds rules and types only: no framework, database, queue or network package, no store, no app.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: [FRAMEWORK_OR_IO, '^libs/store/', '^libs/matching/', '^apps/', '^tools/', '^test/'] },
    },
    {
      name: 'store-serves-apps-not-the-reverse',
      comment: 'The persistence library never reaches into the apps, and never into the algorithm (it stores its results as data).',
      severity: 'error',
      from: { path: '^libs/store/' },
      to: { path: ['^apps/', '^libs/matching/', '^tools/', '^test/'] },
    },
    {
      name: 'api-and-worker-are-separate',
      comment: 'The API and the worker are separate processes; what both need lives in a library.',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^apps/worker/' },
    },
    {
      name: 'worker-and-api-are-separate',
      comment: 'The API and the worker are separate processes; what both need lives in a library.',
      severity: 'error',
      from: { path: '^apps/worker/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'libs-through-entry-points',
      comment: 'Apps, tools and tests use a library only through its # entry point (#domain, #store, #matching), never a file inside it.',
      severity: 'error',
      from: { path: '^(apps|tools|test)/' },
      to: { path: '^libs/', dependencyTypesNot: ['aliased-subpath-import'] },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make modules impossible to read, test or load in isolation.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage|test/third-party-clients)/' }, // those scripts import clients generated at test time
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'default'], extensions: ['.ts', '.js', '.vue', '.mjs'] },
    moduleSystems: ['es6'],
  },
};
