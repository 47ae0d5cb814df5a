import pg from 'pg';
import { Redis } from 'ioredis';
import type { AppConfig } from './app-config.js';

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';

/** The address without credentials, safe to print. */
function redact(url: string): string {
  const u = new URL(url);
  u.password = u.password ? '***' : '';
  return u.toString();
}

function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reason(err.errors[0]);
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
  return String(err);
}

/**
 * Checks that PostgreSQL and Redis answer before the application starts, so a missing service
 * gives one readable line (which one, where, how to start it) instead of a stack trace.
 * Returns the problem, or null when both answer.
 */
export async function probeDependencies(config: AppConfig): Promise<string | null> {
  const client = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    // 3D000: the server answers but the database does not exist yet; migrating creates it.
    if (reason(err) === '3D000') return `PostgreSQL at ${redact(config.DATABASE_URL)} has no such database yet. Create and migrate it with: npm run migration:run`;
    return `Cannot reach PostgreSQL at ${redact(config.DATABASE_URL)} (${reason(err)}). Start it with: ${START_POSTGRES}`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let firstError: unknown = null;
  redis.on('error', (err) => (firstError ??= err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Cannot reach Redis at ${redact(config.REDIS_URL)} (${reason(firstError ?? err)}). Start it with: ${START_REDIS}`;
  } finally {
    redis.disconnect();
  }
  return null;
}
