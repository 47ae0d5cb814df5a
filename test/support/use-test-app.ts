import type { TestingModuleBuilder } from '@nestjs/testing';
import { Factory } from './factories.js';
import { createTestApp, DEFAULT_NOW, resetData, type TestApp } from './test-app.js';
import { clearQueues, createTestWorker, type TestWorker } from './test-worker.js';

export interface SuiteOptions {
  now?: Date;
  /** Environment overrides of the test configuration (testConfig). */
  config?: Record<string, string>;
  /** Provider overrides beyond the clock, e.g. a captured log destination. */
  customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Empty the database once, after the app starts (default), or before each test. */
  reset?: 'once' | 'each';
  /** Also a worker in this process for the whole file, started after the app, with these options. */
  worker?: true | Parameters<typeof createTestWorker>[0];
}

export interface Suite {
  t: TestApp;
  f: Factory;
}

/**
 * The setup and teardown every e2e file shares, as Jest hooks of the calling describe block: the
 * app (and a worker if asked) before all tests, the database emptied once or before each test, and
 * after all tests: no 5xx answered, the worker and the app closed, this run's queue keys removed.
 *
 * It is called while Jest collects the describe block, before any hook has run, so it returns
 * objects that the hooks fill in place: use them only inside hooks and tests.
 */
export function useTestApp(options: SuiteOptions & { worker: NonNullable<SuiteOptions['worker']> }): Suite & { worker: TestWorker };
export function useTestApp(options?: SuiteOptions): Suite;
export function useTestApp(options: SuiteOptions = {}): Suite & { worker?: TestWorker } {
  const t = {} as TestApp;
  const worker = options.worker ? ({} as TestWorker) : undefined;
  beforeAll(async () => {
    Object.assign(t, await createTestApp(options.now ?? DEFAULT_NOW, options.config, options.customize));
    if (worker) Object.assign(worker, await createTestWorker(options.worker === true ? {} : options.worker));
    if (options.reset !== 'each') await resetData(t);
  });
  if (options.reset === 'each') beforeEach(() => resetData(t));
  afterAll(async () => {
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await worker?.close();
    await t.close();
    await clearQueues();
  });
  return { t, f: new Factory(t), worker };
}
