/**
 * npm run bench:api [-- --duration 60] [-- --connections 64] [-- --enterprises 3000] [-- --port 3210] [-- --database ppe_bench_api]
 *
 * Seeds a fresh database (ppe_bench_api) through the API: a zone, four products and `enterprises`
 * enterprises, each with its own credential. Then load on loopback: enterprises post demand reports (4 product lines each) to the real API process
 * backed by the real PostgreSQL, as fast as autocannon can send them, for `duration` seconds. Then
 * checks that every acknowledged report is stored (its id, under the version the answer gave) and
 * that no enterprise's versions have a gap, and prints requests per second, p50/p99 latency and errors.
 *
 * Then what this machine allows, for comparison: the framework alone (GET /health/live: no body,
 * credential or database) and the database alone (the ledger's append statement, 16 at a time,
 * no HTTP), each using the whole machine. A report needs both on the same cores, so
 * 1 / (1/framework + 1/database) bounds what any report route could reach here (--no-ceiling skips it).
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { addDays, withCheckChar, zoneToday } from '#domain';
import { loadConfig } from '#store';
import { ensureDatabase, runMigrations } from '../../migrations/schema-tools.js';
import { ApiClient, createZone, registerOrganizations } from '../api-seed.js';
import { API_MAIN, startNode, waitUntilReady } from '../processes.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const duration = flag('duration', 60);
const connections = flag('connections', 64);
const enterpriseCount = flag('enterprises', 3000);
const port = flag('port', 3210);
// Its own database name lets two benches (say, two checkouts compared) run without clashing.
const databaseName = args.includes('--database') ? args[args.indexOf('--database') + 1] : 'ppe_bench_api';

const base = loadConfig();
const dbUrl = new URL(base.DATABASE_URL);
dbUrl.pathname = `/${databaseName}`;
const DATABASE_URL = dbUrl.toString();
const PRODUCTS = ['MASK-MED', 'MASK-KN95', 'SANITIZER-500', 'DISINFECT-5L'];

async function seed(api: ApiClient, adminToken: string): Promise<{ zoneId: string; enterprises: { id: string; token: string }[] }> {
  const zone = await createZone(
    api,
    adminToken,
    { name: 'bench zone', timeZone: 'Asia/Shanghai' },
    'bench coordinator',
    PRODUCTS.map((code) => ({ code, nameZh: code, nameEn: code, unit: 'piece', packSize: 10, normPerWorker: 1, capFactor: 2 })),
  );
  const enterprises = Array.from({ length: enterpriseCount }, (_, i) => ({
    name: `bench enterprise ${i + 1}`,
    creditCode: withCheckChar(`91BENCH0${String(i).padStart(9, '0')}`),
    address: 'bench road',
    latitude: 31.78,
    longitude: 119.97,
    contactName: 'x',
    contactPhone: '123456',
    registeredEmployees: 1000,
    priorityCategory: 'other',
    aboveScale: false,
  }));
  return { zoneId: zone.zoneId, enterprises: await registerOrganizations(api, zone, 'enterprises', enterprises, 16, 'member') };
}

/** Requests per second and p99 of a public route that does nothing: what Nest and Express alone cost here. */
async function frameworkCeiling(): Promise<{ rate: number; p99: number }> {
  const result = await autocannon({ url: `http://127.0.0.1:${port}/health/live`, connections, duration: Math.min(duration, 15) });
  return { rate: result.requests.average, p99: result.latency.p99 };
}

/**
 * Appends per second of the ledger's one statement alone (SELECT append_demand_report, as
 * ReportLedger.append sends it), 16 in flight on their own connections, no HTTP: what
 * PostgreSQL's part of a report costs here.
 */
async function databaseCeiling(zoneId: string, enterpriseIds: string[], serviceDate: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 16 });
  try {
    const members = (await pool.query<{ id: string; organization_id: string }>('SELECT id, organization_id FROM users WHERE organization_id = ANY($1)', [enterpriseIds])).rows;
    const products = (await pool.query<{ id: string; code: string }>('SELECT id, code FROM products WHERE zone_id = $1', [zoneId])).rows;
    const lines = products.map((p) => ({ productId: p.id, productCode: p.code, statedQuantity: null, stockOnHand: 0, need: 100 }));
    const until = performance.now() + Math.min(duration, 15) * 1000;
    let appended = 0;
    const worker = async (w: number) => {
      for (let i = w; performance.now() < until; i += 16) {
        const m = members[i % members.length];
        const report = { zoneId, enterpriseId: m.organization_id, serviceDate, headcount: 100, lines, submittedBy: m.id, submittedAt: new Date(), late: false };
        const audit = { actorId: m.id, actorRole: 'enterprise', action: 'demand_report.post', entityType: 'demand_report' };
        await pool.query('SELECT append_demand_report($1::jsonb, $2::jsonb) AS appended', [JSON.stringify(report), JSON.stringify(audit)]);
        appended++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    return appended / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL, { recreate: true });
  await runMigrations(DATABASE_URL);
  const adminToken = `ppe_bench_${randomBytes(24).toString('base64url')}`;
  const apiProcess = startNode('api', API_MAIN, {
    env: { DATABASE_URL, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', QUEUE_PREFIX: 'benchapi', BOOTSTRAP_ADMIN_TOKEN: adminToken },
  });
  try {
    await waitUntilReady(`http://127.0.0.1:${port}`);
    const t0 = performance.now();
    const { zoneId, enterprises } = await seed(new ApiClient(`http://127.0.0.1:${port}`), adminToken);
    console.log(`seeded ${enterprises.length} enterprises with their credentials through the API in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // A date whose reports are open whatever the time of day: two days ahead in the zone.
    const serviceDate = addDays(zoneToday(new Date(), 'Asia/Shanghai'), 2);
    let next = 0;
    // What each 2xx answer acknowledged, to be found in PostgreSQL afterwards.
    const acknowledgedReports = new Map<string, number>();
    const body = (headcount: number) =>
      JSON.stringify({ serviceDate, headcount, lines: PRODUCTS.map((productCode, i) => (i % 2 ? { productCode, stockOnHand: i } : { productCode, statedQuantity: headcount })) });
    const requests: autocannon.Request[] = [
        {
          method: 'POST',
          setupRequest: (req: autocannon.Request) => {
            const e = enterprises[next++ % enterprises.length];
            return { ...req, path: `/enterprises/${e.id}/demand-reports`, headers: { 'content-type': 'application/json', authorization: `Bearer ${e.token}` }, body: body(100 + (next % 500)) };
          },
          onResponse: (status: number, responseBody: string) => {
            if (status !== 201) return;
            const report = JSON.parse(responseBody) as { id: string; version: number };
            acknowledgedReports.set(report.id, report.version);
          },
        },
    ];
    // A timed run abandons the requests in flight when the clock stops, so stored and acknowledged
    // could not be compared. Instead: a warm-up of a fixed number of requests measures the rate, then
    // a run of exactly rate × duration requests; every request of both gets its answer.
    const warmup = await autocannon({ url: `http://127.0.0.1:${port}`, connections, amount: connections * 10, requests });
    const amount = Math.max(connections, Math.round(warmup.requests.average * duration));
    const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections, amount, requests });
    const db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    const stored = Number((await db.query('SELECT count(*) FROM demand_reports')).rows[0].count);
    const ids = [...acknowledgedReports.keys()];
    const found = Number(
      (await db.query('SELECT count(*) FROM demand_reports d JOIN unnest($1::uuid[], $2::int[]) AS a(id, version) USING (id, version)', [ids, ids.map((id) => acknowledgedReports.get(id))])).rows[0].count,
    );
    const gaps = Number((await db.query('SELECT count(*) FROM (SELECT 1 FROM demand_reports GROUP BY enterprise_id, service_date HAVING max(version) <> count(*)) g')).rows[0].count);
    await db.end();
    const acknowledged = warmup['2xx'] + result['2xx'];
    const errors = result.non2xx + result.errors + result.timeouts + warmup.non2xx + warmup.errors + warmup.timeouts;
    console.log(`bench:api — ${amount} requests (~${duration} s, after a warm-up of ${connections * 10}), ${connections} connections, ${enterprises.length} enterprises posting 4-line demand reports`);
    console.log(`  requests/s   ${result.requests.average.toFixed(0)} (mean), ${result.requests.p50} (median second)`);
    console.log(`  latency      p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    const codes = Object.entries({ ...warmup.statusCodeStats, ...result.statusCodeStats }).map(([code, v]) => `${code}×${(v as { count: number }).count}`).join(', ');
    console.log(`  errors       ${errors} (non-2xx ${result.non2xx}, socket errors ${result.errors}, timeouts ${result.timeouts}); status codes ${codes}`);
    const lost = ids.length - found;
    console.log(`  stored       ${stored} reports in PostgreSQL, acknowledged ${acknowledged} (${stored === acknowledged ? 'equal' : 'DIFFERENT'}); acknowledged but not stored as answered ${lost}; version gaps ${gaps}`);
    if (stored !== acknowledged || ids.length !== acknowledged || lost !== 0 || gaps !== 0) process.exitCode = 1;

    if (!args.includes('--no-ceiling')) {
      const framework = await frameworkCeiling();
      apiProcess.child.kill('SIGTERM');
      const database = await databaseCeiling(zoneId, enterprises.map((e) => e.id), serviceDate);
      console.log(`what this machine allows (each alone, on all its cores):`);
      console.log(`  framework    ${framework.rate.toFixed(0)} requests/s, p99 ${framework.p99} ms (GET /health/live, ${connections} connections)`);
      console.log(`  database     ${database.toFixed(0)} appends/s (the ledger's append statement, 16 connections, no HTTP)`);
      console.log(`  both         ≤ ${(1 / (1 / framework.rate + 1 / database)).toFixed(0)} reports/s for a route that cost no more than those two`);
    }
  } finally {
    apiProcess.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(`bench:api failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
