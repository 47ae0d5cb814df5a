import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AccountsService } from '../../apps/api/src/accounts/accounts.service.js';
import { TokenAuthenticator } from '../../apps/api/src/common/auth/token-authenticator.js';
import { ZoneSettingsCache } from '../../apps/api/src/common/zone-settings.cache.js';
import { AppModule } from '../../apps/api/src/app.module.js';
import { Clock, FixedClock } from '#domain';
import { loadConfig } from '#store';
import { configureApp } from '../../apps/api/src/configure-app.js';

export const ADMIN_TOKEN = 'ppe_test_admin_token_0123456789abcdefghijklmnop';

/** 2026-03-02 12:00 in Shanghai (04:00 UTC): the suite's default "now". */
export const DEFAULT_NOW = new Date('2026-03-02T04:00:00Z');

export interface TestApp {
  app: INestApplication;
  clock: FixedClock;
  dataSource: DataSource;
  /** Every status the API answered, so a suite can prove it never answered 5xx. */
  statuses: number[];
  http: ReturnType<typeof client>;
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

function client(app: INestApplication, statuses: number[]) {
  const call = (method: Method, path: string, token: string | null, body?: unknown) => {
    let req = request(app.getHttpServer())[method](path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    if (body !== undefined) req = req.send(body as object);
    return req.then((res) => {
      statuses.push(res.status);
      return res;
    });
  };
  return {
    get: (path: string, token: string | null) => call('get', path, token),
    post: (path: string, token: string | null, body?: unknown) => call('post', path, token, body ?? {}),
    patch: (path: string, token: string | null, body?: unknown) => call('patch', path, token, body ?? {}),
    put: (path: string, token: string | null, body?: unknown) => call('put', path, token, body ?? {}),
    raw: () => request(app.getHttpServer()),
  };
}

/** Test settings: the test database and a BullMQ prefix of this run's own, so runs never share jobs. */
export function testConfig(overrides: Record<string, string> = {}) {
  return loadConfig({
    ...process.env,
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    LOG_LEVEL: 'error',
    QUEUE_PREFIX: `t${process.pid}`,
    // Tests make hundreds of calls with one admin token; the rate-limit test sets its own limit.
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Authorization tests send many unknown tokens from 127.0.0.1; the hardening test sets its own limit.
    AUTH_FAILURES_PER_MINUTE: '1000000',
    // Webhook receivers in tests listen on plain HTTP on loopback; the SSRF test clears both.
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...overrides,
  });
}

/** The real AppModule over HTTP against the test database and the local Redis, with a pinned clock. */
export async function createTestApp(
  now: Date = DEFAULT_NOW,
  overrides: Record<string, string> = {},
  /** Provider overrides beyond the clock, e.g. a captured log destination. */
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
): Promise<TestApp> {
  const config = testConfig(overrides);
  const clock = new FixedClock(now);
  const moduleRef = await customize(Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).overrideProvider(Clock).useValue(clock)).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app, config);
  await app.init();
  const dataSource = app.get(DataSource);
  const statuses: number[] = [];
  return {
    app,
    clock,
    dataSource,
    statuses,
    http: client(app, statuses),
    close: () => app.close(),
  };
}

/**
 * Empties every table and recreates the admin. The audit log refuses TRUNCATE (a statement trigger):
 * the test database's superuser turns triggers off for this one transaction (session_replication_role).
 */
export async function resetData(t: TestApp): Promise<void> {
  const tables: { tablename: string }[] = await t.dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  );
  // A worker of the same test may be querying (its start-up sync, a resync): a deadlock with the
  // TRUNCATE's exclusive locks is possible, and simply retried.
  for (let attempt = 1; ; attempt++) {
    try {
      await t.dataSource.transaction(async (m) => {
        await m.query(`SET LOCAL session_replication_role = replica`);
        await m.query(`TRUNCATE ${tables.map((r) => `"${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
      });
      break;
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code !== '40P01' || attempt >= 5) throw err;
    }
  }
  // Users and zones are recreated under the same tokens and ids: drop what the API process cached.
  t.app.get(TokenAuthenticator).forgetAll();
  t.app.get(ZoneSettingsCache).forgetAll();
  await t.app.get(AccountsService).ensureBootstrapAdmin(ADMIN_TOKEN);
  t.clock.set(DEFAULT_NOW);
}
