import { DataSource } from 'typeorm';
import { dataSourceOptions } from '#store';
import { MIGRATIONS } from './index.js';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ppe';

/** The DataSource the migration CLI and the test setup use. */
export function migrationDataSource(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): DataSource {
  return new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS, migrationsTableName: 'migrations' }));
}
