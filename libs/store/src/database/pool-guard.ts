import type { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { DataSource as DataSourceToken, type DataSource } from 'typeorm';

/**
 * pg's pool listens for errors on idle clients only: it removes that listener when it hands a
 * client out. A client held by a transaction between two statements (while the process computes)
 * whose connection drops then emits 'error' with nobody listening, and Node ends the process. Each
 * client handed out gets a listener of its own; the statement that next uses the client fails,
 * and the transaction with it, as it should.
 */
export function guardCheckedOutClients(dataSource: DataSource, onError: (err: Error) => void): void {
  const pool = (dataSource.driver as unknown as { master?: EventEmitter }).master;
  if (!pool) return;
  const guarded = new WeakSet<object>();
  pool.on('acquire', (client: EventEmitter) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', onError);
  });
}

/** The guard as a Nest provider of either app: installed once the data source is up. */
export const poolGuardProvider = {
  provide: 'PG_POOL_GUARD',
  inject: [DataSourceToken],
  useFactory: (dataSource: DataSource) => {
    const logger = new Logger('PostgreSQL');
    guardCheckedOutClients(dataSource, (err) => logger.warn(`a connection in use was lost: ${err.message}`));
    return true;
  },
};
