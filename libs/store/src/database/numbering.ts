import type { EntityManager } from 'typeorm';

/**
 * The next number in a per-key series (report versions, run sequences), serialised per key by a
 * transaction-scoped advisory lock so two concurrent writers cannot take the same number.
 */
export async function nextInSeries(m: EntityManager, lockKey: string, maxSql: string, params: unknown[]): Promise<number> {
  await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
  const [row] = await m.query(`SELECT coalesce((${maxSql}), 0) + 1 AS next`, params);
  return Number(row.next);
}
