// ESLint keeps one rule of the house that dependency-cruiser cannot see (it works on files, not on
// names): the database and the queues are reached only through the persistence library (libs/store).
// Services, controllers, processors and tools call its classes; only libs/store and the Nest module
// files that wire it may hold a DataSource, an EntityManager, a repository, a Queue or a FlowProducer.
import tseslint from 'typescript-eslint';

const persistenceOnly = 'is used only inside libs/store (and the *.module.ts files that wire it): call a store class instead';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'apps/web/**', 'test/third-party-clients/**'] }, // those scripts import clients generated at test time
  {
    files: ['apps/**/*.ts', 'tools/**/*.ts', 'libs/domain/**/*.ts', 'libs/matching/**/*.ts'],
    ignores: ['**/*.module.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', importNames: ['DataSource', 'EntityManager', 'Repository', 'QueryRunner'], message: `TypeORM's DataSource, EntityManager, Repository and QueryRunner ${persistenceOnly}.` },
            { name: 'bullmq', importNames: ['Queue', 'FlowProducer'], message: `BullMQ's Queue and FlowProducer ${persistenceOnly}.` },
            { name: '@nestjs/typeorm', importNames: ['InjectDataSource', 'InjectEntityManager', 'InjectRepository'], message: `Injecting TypeORM handles ${persistenceOnly}.` },
            { name: '@nestjs/bullmq', importNames: ['InjectQueue', 'InjectFlowProducer'], message: `Injecting queues ${persistenceOnly}.` },
          ],
        },
      ],
    },
  },
);
