/**
 * How a process uses Redis:
 * - 'worker': BullMQ workers block on Redis and must never give up a command (BullMQ requires
 *   maxRetriesPerRequest: null for them); they wait out an outage.
 * - 'producer': the API and tools fail fast, so a request never hangs because Redis is away
 *   (PostgreSQL, not Redis, is the record; the worker re-queues what is recorded as pending).
 */
export type RedisRole = 'worker' | 'producer';

/** Connection options as both ioredis and BullMQ take them. */
export type RedisConnection = {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: { servername: string };
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
  connectTimeout?: number;
};

/**
 * The one reader of REDIS_URL: redis[s]://[user[:password]@]host[:port][/db] → ioredis options, for
 * BullMQ's connection in both apps and for the tools. rediss:// turns TLS on.
 */
export function redisConnection(redisUrl: string, role: RedisRole): RedisConnection {
  const u = new URL(redisUrl);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(u.port || 6379),
    db: Number(u.pathname.slice(1) || 0),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    ...(u.protocol === 'rediss:' ? { tls: { servername: u.hostname } } : {}),
    ...(role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 3000 }),
  };
}
