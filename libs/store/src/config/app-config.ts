import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === 'true' || value === true ? true : value === 'false' || value === false ? false : value);

/**
 * Every setting the API and the worker read from the environment, validated at boot.
 * Defaults match a local PostgreSQL and Redis as on the development machines.
 */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ppe';

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every BullMQ key in Redis (never an ioredis keyPrefix). */
  @Matches(/^[a-z][a-z0-9_-]{0,30}$/)
  QUEUE_PREFIX = 'ppe';

  /** If set at boot, an admin credential with this token exists (idempotent). At least 32 characters. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  BOOTSTRAP_ADMIN_TOKEN?: string;

  /** Comma-separated origins allowed by CORS; empty means CORS is closed. */
  @IsString()
  CORS_ORIGINS = '';

  /**
   * Which reverse proxies the API believes (Express's `trust proxy`): a hop count such as `1`, or
   * comma-separated addresses, subnets or `loopback`. Empty: none, so X-Forwarded-Proto and
   * X-Forwarded-For are ignored. Behind a TLS-terminating proxy, set it so that the console's
   * session cookies are marked Secure and rate limits count the client's address, not the proxy's.
   */
  @Matches(/^$|^\d{1,2}$|^(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(?:\/\d{1,3})?)(?:\s*,\s*(?:loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(?:\/\d{1,3})?))*$/, {
    message: 'TRUST_PROXY must be empty, a hop count, or comma-separated addresses, subnets, loopback, linklocal or uniquelocal',
  })
  TRUST_PROXY = '';

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  /** Requests per credential per minute before 429 (shared across API processes through Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 1200;

  /**
   * How often the worker re-asserts every zone's schedulers and re-queues runs PostgreSQL records as
   * pending: after Redis loses its data (a restart without persistence) the schedule heals by itself.
   */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(86_400_000)
  SCHEDULER_RESYNC_MS = 60_000;

  /**
   * Failed authentications (unknown or revoked tokens) per client address per minute before 429:
   * each one costs a database query, so guessing tokens must not be free.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_FAILURES_PER_MINUTE = 30;

  /** How long an API process trusts a credential it has looked up: a revocation reaches other processes within this. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300_000)
  CREDENTIAL_CACHE_MS = 10_000;

  /** Lets webhooks use http:// (local development only); otherwise only https:// targets are accepted. */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_HTTP = false;

  /**
   * Comma-separated host names webhooks may reach although they resolve to loopback, private or
   * link-local addresses (an internal receiver the operator vouches for). Empty: none.
   */
  @IsString()
  WEBHOOK_ALLOWED_HOSTS = '';

  /** Largest accepted JSON body. */
  @Matches(/^\d+(kb|mb)$/)
  BODY_LIMIT = '256kb';
}

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`invalid configuration: ${lines.join(' | ')}`);
  }
  return config;
}
