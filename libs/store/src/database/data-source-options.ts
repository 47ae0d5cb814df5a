import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../entities/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

/**
 * The one place the PostgreSQL connection is described, shared by the API, the worker, the
 * migration CLI and the tests. The schema comes only from migrations: never synchronize.
 */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    extra: { max: 20, connectionTimeoutMillis: 5000 },
    ...extra,
  } as DataSourceOptions;
}
