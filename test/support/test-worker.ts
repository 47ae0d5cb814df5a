import { getQueueToken } from '@nestjs/bullmq';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Clock, FixedClock, QUEUES } from '#domain';
import { WriteHooks } from '#store';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { DEFAULT_NOW, testConfig } from './test-app.js';

export interface TestWorker {
  module: TestingModule;
  clock: FixedClock;
  queue: Queue;
  close(): Promise<void>;
}

/** The worker as its own Nest application (no HTTP), on the same database, Redis and queue prefix as the test API. */
export async function createTestWorker(opts: { now?: Date; hooks?: WriteHooks; config?: Record<string, string> } = {}): Promise<TestWorker> {
  const clock = new FixedClock(opts.now ?? DEFAULT_NOW);
  let builder = Test.createTestingModule({ imports: [WorkerModule.forRoot(testConfig(opts.config))] })
    .overrideProvider(Clock)
    .useValue(clock);
  if (opts.hooks) builder = builder.overrideProvider(WriteHooks).useValue(opts.hooks);
  const module = await builder.compile();
  module.useLogger(['error']);
  await module.init();
  return { module, clock, queue: module.get<Queue>(getQueueToken(QUEUES.allocation)), close: () => module.close() };
}

/** Polls until `check` returns a value, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, ms = 20000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Removes every key of this test run's queue prefix, so Redis is left as it was found. */
export async function clearQueues(): Promise<void> {
  const client = new Redis(testConfig().REDIS_URL);
  const prefix = `${testConfig().QUEUE_PREFIX}:*`;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', prefix, 'COUNT', 1000);
    if (keys.length) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  client.disconnect();
}

/** Polls GET /runs/{id} until the run reaches `status` (a failed run fails the wait with its reason). */
export function runInStatus(
  t: { http: { get(path: string, token: string | null): Promise<{ status: number; body: any; headers: Record<string, string> }> } },
  token: string,
  runId: string,
  status = 'draft',
  ms = 30000,
): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  return eventually(async () => {
    const r = await t.http.get(`/runs/${runId}`, token);
    if (r.body.status === 'failed' && status !== 'failed') throw new Error(`run ${runId} failed: ${r.body.failureReason}`);
    return r.body.status === status ? r : undefined;
  }, ms, `run ${runId} to be ${status}`);
}
