// Jest 30 in ESM mode (NestJS 12 is ESM-only): run with --experimental-vm-modules.
// SWC transpiles TypeScript with legacy decorators and metadata, which Nest and TypeORM need.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^#domain$': '<rootDir>/libs/domain/src/index.ts',
    '^#matching$': '<rootDir>/libs/matching/src/index.ts',
    '^#store$': '<rootDir>/libs/store/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

export default {
  testTimeout: 60000,
  projects: [
    // Pure code: no database or Redis, so it can run anywhere, any time.
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'], setupFiles: ['<rootDir>/libs/matching/test/fast-check-seed.ts'] },
    // The real HTTP API, PostgreSQL and Redis; one fresh database per run (see test/global-setup.ts).
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.js',
    },
  ],
};
