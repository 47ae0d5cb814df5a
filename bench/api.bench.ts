/**
 * npm run bench:api [-- --duration 60] [-- --connections 64] [-- --enterprises 3000]
 *
 * Load on loopback: enterprises post demand reports (4 product lines each) to the real API process
 * backed by the real PostgreSQL, as fast as autocannon can send them, for `duration` seconds. Then
 * counts the reports in the database and prints requests per second, p50/p99 latency, errors and
 * stored versus acknowledged.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import pg from 'pg';
import { addDays, withCheckChar, zoneToday } from '#domain';
import { loadConfig } from '#store';
import { hashToken } from '../apps/api/src/common/auth/tokens.js';
import { ensureDatabase, runMigrations } from '../migrations/schema-tools.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const duration = flag('duration', 60);
const connections = flag('connections', 64);
const enterpriseCount = flag('enterprises', 3000);
const port = flag('port', 3210);

const base = loadConfig();
const dbUrl = new URL(base.DATABASE_URL);
dbUrl.pathname = '/ppe_bench_api';
const DATABASE_URL = dbUrl.toString();
const PRODUCTS = ['MASK-MED', 'MASK-KN95', 'SANITIZER-500', 'DISINFECT-5L'];

async function seed(): Promise<{ zoneId: string; enterprises: { id: string; token: string }[] }> {
  await ensureDatabase(DATABASE_URL, { recreate: true });
  await runMigrations(DATABASE_URL);
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    const [{ id: zoneId }] = (await db.query(`INSERT INTO zones (name, tier_mapping) VALUES ('bench zone', '{"other":4}') RETURNING id`)).rows;
    for (const code of PRODUCTS) {
      await db.query(`INSERT INTO products (zone_id, code, name_zh, name_en, unit, pack_size, norm_per_worker, cap_factor) VALUES ($1, $2, $2, $2, 'piece', 10, 1, 2)`, [zoneId, code]);
    }
    const ids: string[] = [];
    const codes: string[] = [];
    for (let i = 0; i < enterpriseCount; i++) codes.push(withCheckChar(`91BENCH0${String(i).padStart(9, '0')}`));
    const orgs = await db.query(
      `INSERT INTO organizations (zone_id, kind, name, credit_code, address, latitude, longitude, contact_name, contact_phone, registered_employees, priority_category, above_scale)
       SELECT $1, 'enterprise', 'bench enterprise ' || n, code, 'bench road', 31.78, 119.97, 'x', '123456', 1000, 'other', false
         FROM unnest($2::text[]) WITH ORDINALITY AS t(code, n) RETURNING id`,
      [zoneId, codes],
    );
    for (const r of orgs.rows) ids.push(r.id);
    const tokens = ids.map((_, i) => `ppe_bench_${String(i).padStart(8, '0')}_0123456789abcdefghijkl`);
    const users = await db.query(
      `INSERT INTO users (name, role, organization_id) SELECT 'member', 'enterprise', id FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) ORDER BY n RETURNING id, organization_id`,
      [ids],
    );
    const userOf = new Map(users.rows.map((u: { id: string; organization_id: string }) => [u.organization_id, u.id]));
    await db.query(`INSERT INTO api_credentials (user_id, token_hash, token_prefix) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`, [
      ids.map((id) => userOf.get(id)),
      tokens.map(hashToken),
      tokens.map((t) => t.slice(0, 10)),
    ]);
    return { zoneId, enterprises: ids.map((id, i) => ({ id, token: tokens[i] })) };
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const { enterprises } = await seed();
  const api = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    env: { ...process.env, DATABASE_URL, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', QUEUE_PREFIX: 'benchapi' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
      } catch {
        // starting
      }
      if (i > 150) throw new Error('the API did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    // A date whose reports are open whatever the time of day: two days ahead in the zone.
    const serviceDate = addDays(zoneToday(new Date(), 'Asia/Shanghai'), 2);
    let next = 0;
    const body = (headcount: number) =>
      JSON.stringify({ serviceDate, headcount, lines: PRODUCTS.map((productCode, i) => (i % 2 ? { productCode, stockOnHand: i } : { productCode, statedQuantity: headcount })) });
    const requests: autocannon.Request[] = [
        {
          method: 'POST',
          setupRequest: (req: autocannon.Request) => {
            const e = enterprises[next++ % enterprises.length];
            return { ...req, path: `/enterprises/${e.id}/demand-reports`, headers: { 'content-type': 'application/json', authorization: `Bearer ${e.token}` }, body: body(100 + (next % 500)) };
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
    const gaps = Number((await db.query('SELECT count(*) FROM (SELECT 1 FROM demand_reports GROUP BY enterprise_id, service_date HAVING max(version) <> count(*)) g')).rows[0].count);
    await db.end();
    const acknowledged = warmup['2xx'] + result['2xx'];
    const errors = result.non2xx + result.errors + result.timeouts + warmup.non2xx + warmup.errors + warmup.timeouts;
    console.log(`bench:api — ${amount} requests (~${duration} s, after a warm-up of ${connections * 10}), ${connections} connections, ${enterprises.length} enterprises posting 4-line demand reports`);
    console.log(`  requests/s   ${result.requests.average.toFixed(0)} (mean), ${result.requests.p50} (median second)`);
    console.log(`  latency      p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    const codes = Object.entries({ ...warmup.statusCodeStats, ...result.statusCodeStats }).map(([code, v]) => `${code}×${(v as { count: number }).count}`).join(', ');
    console.log(`  errors       ${errors} (non-2xx ${result.non2xx}, socket errors ${result.errors}, timeouts ${result.timeouts}); status codes ${codes}`);
    console.log(`  stored       ${stored} reports in PostgreSQL, acknowledged ${acknowledged} (${stored === acknowledged ? 'equal' : 'DIFFERENT'}), version gaps ${gaps}`);
    if (stored !== acknowledged) process.exitCode = 1;
  } finally {
    api.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(`bench:api failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
