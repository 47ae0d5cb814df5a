/**
 * Benchmark of the nightly run through the real queue and real worker processes.
 *
 *   npm run bench:run                        # a city: 15,000 enterprises, 200 suppliers, 4 products
 *   npm run bench:run -- --runs 5            # more runs of the city for the median
 *   npm run bench:run -- --zones 20          # a province: 20 zones of 10,000 enterprises, one worker then two
 *   npm run bench:run -- --zones 4 --enterprises 2000 --workers 1,2
 *   npm run bench:run -- --worker-logs      # also print the workers' log lines
 *
 * The bench recreates its own database (BENCH_DATABASE_URL, default ppe_bench) from the migrations,
 * seeds it in bulk SQL shaped as the API writes (tools/bench/run-seed.ts), starts the worker application
 * as separate processes (node dist/apps/worker/src/main.js) on its own queue prefix, enqueues the
 * jobs as production does ('nightly' for the city; 'province-night' for a province, a BullMQ flow
 * with one 'run' job per zone) and prints:
 *   - end to end: from adding the job to BullMQ reporting it completed (queue, snapshot, solve, write, commit);
 *   - the phases the worker recorded on the run (allocation_runs.timings): snapshot read, solve, write;
 *   - rows written, and the worker process's peak RSS (VmHWM from /proc, and maxRSS as the worker saw it).
 * City figures are per run with the median; the first run is the 'nightly' job, later ones are
 * manual runs of the same date (the same pipeline, each superseding the previous draft).
 * Every Redis key under the bench's prefix is deleted at the end, whatever happens.
 */
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { zoneToday } from '#domain';
import { openJobCatalogue, type RunTimings } from '#store';
import { ensureDatabase, runMigrations } from '../../migrations/schema-tools.js';
import { cpuSecondsOf, startNode, WORKER_MAIN, type StartedProcess } from '../processes.js';
import { citySpec, provinceZoneSpec, seedZone, type SeededZone } from './run-seed.js';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const zoneCount = Number(arg('zones') ?? 0);
const province = zoneCount > 0;
const runs = Number(arg('runs') ?? (province ? 1 : 3));
const perZone = Number(arg('enterprises') ?? 10_000);
const workerCounts = (arg('workers') ?? (province ? '1,2' : '1')).split(',').map(Number);

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppe_bench';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = `bench${process.pid}`;

const log = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => `${fmt(Math.round(n))} ms`;
const mib = (kb: number | null | undefined) => (kb ? `${fmt(Math.round(kb / 1024))} MiB` : 'n/a');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pad = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');

const workers: StartedProcess[] = [];
const closers: (() => Promise<unknown>)[] = [];

async function startWorkers(count: number): Promise<void> {
  const env = { DATABASE_URL, REDIS_URL, QUEUE_PREFIX, LOG_LEVEL: 'log' };
  // The real worker application as its own process; its peak RSS and CPU are read from /proc before it stops.
  const started = Array.from({ length: count }, (_, i) => startNode(`worker ${i + 1}`, WORKER_MAIN, { env, output: 'capture' }));
  workers.push(...started);
  await Promise.all(started.map((w) => w.waitForLine('worker started')));
}

let lastCpu: (number | null)[] = [];

async function stopWorkers(): Promise<(number | null)[]> {
  const peaks = workers.map((w) => w.peakRssKb());
  lastCpu = workers.map((w) => w.cpuSeconds());
  if (args.includes('--worker-logs')) for (const w of workers) log(`--- ${w.name}\n${w.output.join('\n')}`);
  while (workers.length) await workers.pop()!.stop();
  return peaks;
}

/**
 * CPU seconds used so far by the PostgreSQL backends serving the workers (every connection to the
 * bench database but the bench's own): the database's share of a run, next to the workers' own.
 * Short-lived parallel query workers are not counted.
 */
async function pgCpuSeconds(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  let total = 0;
  for (const { pid } of rows) {
    try {
      total += cpuSecondsOf(pid);
    } catch {
      // The backend ended meanwhile.
    }
  }
  return total;
}

/** Removes every key under the bench's prefix. */
async function clearRedis(): Promise<number> {
  const client = new Redis(REDIS_URL);
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) removed += await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  client.disconnect();
  return removed;
}

/** How long one job may take before the benchmark gives up on it. */
const JOB_TIMEOUT_MS = 30 * 60_000;

interface RunRow {
  id: string;
  status: string;
  trigger: string;
  timings: RunTimings | null;
  failure_reason: string | null;
}

async function runRow(db: pg.Client, runId: string): Promise<RunRow> {
  const { rows } = await db.query<RunRow>('SELECT id, status, trigger, timings, failure_reason FROM allocation_runs WHERE id = $1', [runId]);
  return rows[0];
}

async function city(db: pg.Client, serviceDate: string): Promise<void> {
  const spec = citySpec();
  const t0 = performance.now();
  const zone = await seedZone(db, spec, serviceDate, new Date());
  await db.query('ANALYZE');
  log(`City: ${fmt(zone.enterprises)} enterprises (${fmt(zone.demandRows)} demand report versions), ${zone.suppliers} suppliers, 4 products, service date ${serviceDate}`);
  log(`seeded in ${ms(performance.now() - t0)} (bulk INSERT … unnest); database ${new URL(DATABASE_URL).pathname.slice(1)}, queue prefix ${QUEUE_PREFIX}`);
  await startWorkers(1);
  const catalogue = openJobCatalogue(REDIS_URL, QUEUE_PREFIX);
  closers.push(() => catalogue.close());

  const rows: { e2e: number; t: RunTimings; trigger: string }[] = [];
  log('');
  const widths = [4, 8, 11, 9, 7, 7, 12, 7, 6, 12, 10];
  log(pad(['run', 'job', 'end-to-end', 'snapshot', 'solve', 'write', 'worker total', 'lines', 'unmet', 'appointments', 'worker RSS'], widths));
  for (let i = 0; i < runs; i++) {
    let runId: string;
    const started = performance.now();
    let outcome: unknown;
    if (i === 0) {
      outcome = await catalogue.finished('nightly', await catalogue.jobs.enqueue('nightly', { zoneId: zone.zoneId }), JOB_TIMEOUT_MS);
    } else {
      const { rows: created } = await db.query<{ id: string }>(
        `INSERT INTO allocation_runs (zone_id, service_date, sequence, status, trigger, queued_at)
         SELECT $1, $2, coalesce(max(sequence), 0) + 1, 'queued', 'manual', now() FROM allocation_runs WHERE zone_id = $1 AND service_date = $2
         RETURNING id`,
        [zone.zoneId, serviceDate],
      );
      runId = created[0].id;
      outcome = await catalogue.finished('run', await catalogue.jobs.enqueue('run', { runId }), JOB_TIMEOUT_MS);
    }
    const e2e = performance.now() - started;
    if (i === 0) {
      const { rows: found } = await db.query<{ id: string }>(`SELECT id FROM allocation_runs WHERE zone_id = $1 AND service_date = $2 AND trigger = 'schedule'`, [zone.zoneId, serviceDate]);
      runId = found[0].id;
    }
    const run = await runRow(db, runId!);
    if (run.status !== 'draft' || !run.timings) throw new Error(`run ${runId!} ended ${run.status} (${String(outcome)}): ${run.failure_reason ?? ''}`);
    const t = run.timings;
    rows.push({ e2e, t, trigger: i === 0 ? 'nightly' : 'run' });
    log(pad([i + 1, i === 0 ? 'nightly' : 'run', ms(e2e), ms(t.snapshotMs), ms(t.solveMs), ms(t.writeMs), ms(t.totalMs), fmt(t.rows.lines), fmt(t.rows.unmet), fmt(t.rows.appointments), mib(t.maxRssKb)], widths));
  }
  const m = (f: (r: (typeof rows)[number]) => number) => median(rows.map(f));
  log(pad(['med', '', ms(m((r) => r.e2e)), ms(m((r) => r.t.snapshotMs)), ms(m((r) => r.t.solveMs)), ms(m((r) => r.t.writeMs)), ms(m((r) => r.t.totalMs)), '', '', '', ''], widths));
  const dbCpu = await pgCpuSeconds(db);
  const peaks = await stopWorkers();
  const last = rows.at(-1)!.t;
  log('');
  log(`end to end (median of ${rows.length}): ${ms(m((r) => r.e2e))}; target under 15,000 ms`);
  log(
    `  snapshot read ${ms(m((r) => r.t.snapshotMs))}, solve ${ms(m((r) => r.t.solveMs))}, write ${ms(m((r) => r.t.writeMs))}; ` +
      `queue, commit and the rest ${ms(m((r) => r.e2e - r.t.snapshotMs - r.t.solveMs - r.t.writeMs))}`,
  );
  log(`rows written per run: ${fmt(last.rows.lines)} allocation lines, ${fmt(last.rows.unmet)} unmet needs, ${fmt(last.rows.appointments)} pickup appointments (${fmt(last.rows.lines + last.rows.unmet + last.rows.appointments)} rows)`);
  log(`peak worker memory: ${mib(peaks[0])} (VmHWM of the worker process after ${rows.length} runs); ${mib(last.maxRssKb)} recorded by the worker at its last write`);
  log(`worker CPU: ${lastCpu[0]?.toFixed(1) ?? 'n/a'} s over the ${rows.length} runs, start-up included; PostgreSQL backends serving it: ${dbCpu.toFixed(1)} s`);
}

async function provinceNight(db: pg.Client, serviceDate: string): Promise<void> {
  const t0 = performance.now();
  const zones: SeededZone[] = [];
  for (let i = 0; i < zoneCount; i++) zones.push(await seedZone(db, provinceZoneSpec(i, perZone), serviceDate, new Date()));
  const { rows: p } = await db.query<{ id: string }>(`INSERT INTO provinces (code, name) VALUES ('BENCH', 'Bench province') RETURNING id`);
  const provinceId = p[0].id;
  await db.query('INSERT INTO province_zones (province_id, zone_id) SELECT $1, unnest($2::uuid[])', [provinceId, zones.map((z) => z.zoneId)]);
  await db.query('ANALYZE');
  const enterprises = zones.reduce((s, z) => s + z.enterprises, 0);
  const suppliers = zones.reduce((s, z) => s + z.suppliers, 0);
  log(`Province: ${zoneCount} zones × ${fmt(perZone)} enterprises = ${fmt(enterprises)} enterprises, ${fmt(suppliers)} suppliers, 4 products, service date ${serviceDate}`);
  log(`seeded in ${ms(performance.now() - t0)} (bulk INSERT … unnest); database ${new URL(DATABASE_URL).pathname.slice(1)}, queue prefix ${QUEUE_PREFIX}`);
  const nameOf = new Map(zones.map((z, i) => [z.zoneId, `zone ${String(i + 1).padStart(2, '0')}`]));

  const catalogue = openJobCatalogue(REDIS_URL, QUEUE_PREFIX);
  closers.push(() => catalogue.close());

  const summary: { workers: number; wall: number; zoneMs: number; slowest: number; perWorker: string; peaks: (number | null)[]; cpu: (number | null)[]; dbCpu: number }[] = [];
  const perZoneTables: string[][] = [];
  for (const count of workerCounts) {
    // A clean night for each measurement: no runs, lines or summaries from the previous one.
    await db.query('TRUNCATE province_nights, allocation_lines, unmet_needs, pickup_appointments, run_overrides, allocation_runs');
    await startWorkers(count);
    const started = performance.now();
    // The night's job is one per province and date: the previous measurement's is removed first.
    await catalogue.jobs.forget('province-night', { provinceId, serviceDate });
    await catalogue.finished('province-night', await catalogue.jobs.enqueue('province-night', { provinceId, serviceDate }), JOB_TIMEOUT_MS);
    // The summary is the flow's parent: done once its row says so.
    let night: { status: string; zone_results: { zoneId: string; outcome: string; lines: number; unmet: number; appointments: number; timings: RunTimings | null }[]; totals: Record<string, unknown> } | undefined;
    for (;;) {
      const { rows } = await db.query('SELECT status, zone_results, totals FROM province_nights WHERE province_id = $1 AND service_date = $2', [provinceId, serviceDate]);
      night = rows[0];
      if (night?.status === 'done') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const wall = performance.now() - started;
    const dbCpu = await pgCpuSeconds(db);
    const peaks = await stopWorkers();
    const results = night.zone_results;
    const failed = results.filter((z) => !z.timings);
    if (failed.length) throw new Error(`${failed.length} zones without a written run: ${JSON.stringify(failed.slice(0, 3))}`);
    const workerIds = [...new Set(results.map((z) => z.timings!.worker))];
    const perWorker = workerIds.map((w) => results.filter((z) => z.timings!.worker === w).length).join(' + ');
    summary.push({
      workers: count,
      wall,
      zoneMs: results.reduce((s, z) => s + z.timings!.totalMs, 0),
      slowest: Math.max(...results.map((z) => z.timings!.totalMs)),
      perWorker,
      peaks,
      cpu: lastCpu,
      dbCpu,
    });
    perZoneTables.push(
      results.map((z) => {
        const t = z.timings!;
        return `${ms(t.snapshotMs)}|${ms(t.solveMs)}|${ms(t.writeMs)}|${ms(t.totalMs)}|#${workerIds.indexOf(t.worker) + 1}|${fmt(z.lines)}|${fmt(z.appointments)}|${nameOf.get(z.zoneId)}`;
      }),
    );
  }
  log('');
  const widths = [8, 26, 19, 13, 16, 24, 18, 14];
  log(pad(['workers', 'total (start → summary)', 'sum of zone times', 'slowest zone', 'zones per worker', 'peak RSS per worker', 'worker CPU s', 'database CPU s'], widths));
  for (const s of summary) {
    log(pad([s.workers, ms(s.wall), ms(s.zoneMs), ms(s.slowest), s.perWorker, s.peaks.map(mib).join(', '), s.cpu.map((c) => (c === null ? 'n/a' : c.toFixed(1))).join(', '), s.dbCpu.toFixed(1)], widths));
  }
  if (summary.length === 2) log(`speed-up with ${summary[1].workers} workers: ×${(summary[0].wall / summary[1].wall).toFixed(2)} (${cpus().length} cores on this machine)`);
  log('');
  log('per zone (snapshot / solve / write / worker total, the worker that ran it):');
  const zw = [7, 9, 46];
  log(pad(['zone', 'lines', ...workerCounts.map((c) => `${c} worker${c > 1 ? 's' : ''}`)], [7, 9, ...workerCounts.map(() => 46)]));
  const zonesInOrder = perZoneTables[0].map((row) => row.split('|'));
  zonesInOrder.forEach((first, i) => {
    const cells = perZoneTables.map((t) => {
      const [snap, solve, write, total, worker] = t[i].split('|');
      return `${snap} / ${solve} / ${write} / ${total} ${worker}`;
    });
    log(pad([first[7].replace('zone ', ''), first[5], ...cells], [zw[0], zw[1], ...cells.map(() => zw[2])]));
  });
}

async function main(): Promise<void> {
  const serviceDate = zoneToday(new Date(), 'Asia/Shanghai');
  await ensureDatabase(DATABASE_URL, { recreate: true });
  await runMigrations(DATABASE_URL);
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  closers.push(() => db.end());
  if (province) await provinceNight(db, serviceDate);
  else await city(db, serviceDate);
}

async function cleanup(): Promise<void> {
  await stopWorkers().catch(() => undefined);
  for (const close of closers.reverse()) await close().catch(() => undefined);
  const removed = await clearRedis();
  log(`\ncleaned up: worker processes stopped, ${removed} Redis keys under ${QUEUE_PREFIX}: removed`);
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

main()
  .then(cleanup)
  .catch(async (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    for (const w of workers) console.error(`--- ${w.name} output (last lines)\n${w.output.slice(-15).join('\n')}`);
    await cleanup();
    process.exitCode = 1;
  });
