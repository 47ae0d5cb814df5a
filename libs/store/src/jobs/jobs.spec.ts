import { UnrecoverableError, type Job } from 'bullmq';
import { dispatchJob } from './job-dispatch.js';
import { redisConnection } from './redis-connection.js';

describe('redisConnection', () => {
  it('reads host, port, database, credentials and TLS from the URL', () => {
    expect(redisConnection('rediss://ops:p%40ss@cache.internal:6380/2', 'producer')).toEqual({
      host: 'cache.internal',
      port: 6380,
      db: 2,
      username: 'ops',
      password: 'p@ss',
      tls: { servername: 'cache.internal' },
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 3000,
    });
  });

  it('defaults the port and database; a worker never gives up a command', () => {
    expect(redisConnection('redis://127.0.0.1', 'worker')).toEqual({ host: '127.0.0.1', port: 6379, db: 0, username: undefined, password: undefined, maxRetriesPerRequest: null });
  });
});

describe('dispatchJob', () => {
  const job = (name: string) => ({ name, queueName: 'maintenance', data: {} }) as Job;

  it('runs the handler of the job’s name', async () => {
    await expect(dispatchJob<'maintenance'>({ 'report-partitions': async () => 'made' }, job('report-partitions'))).resolves.toBe('made');
  });

  it('refuses a name the catalogue does not know, without retries (also names inherited from Object)', () => {
    for (const name of ['nightly', 'constructor']) {
      expect(() => dispatchJob<'maintenance'>({ 'report-partitions': async () => 'made' }, job(name))).toThrow(UnrecoverableError);
    }
  });
});
