/**
 * npm run demo [-- --once] [-- --enterprises 3000]
 *
 * Applies migrations, starts the API and the worker as their own processes, builds a demo zone
 * modelled on a Changzhou development zone through the real HTTP API (enterprises in four tiers, a dozen makers, four
 * products, masks short), runs the allocation through the queue and the worker, publishes it and
 * prints the figures, some schedules, the web console's address and one sign-in link per role.
 * Every run builds a fresh zone, so running it twice works.
 */
import { randomBytes } from 'node:crypto';
import { addDays, nightlySchedulerId, reportCutoff, zoneToday } from '#domain';
import { loadConfig, openJobCatalogue, probeDependencies } from '#store';
import { ensureDatabase, runMigrations } from '../../migrations/schema-tools.js';
import { ApiClient, createZone, pool, registerOrganizations, type Registered } from '../api-seed.js';
import { API_MAIN, startNode, waitUntilReady, WORKER_MAIN, type StartedProcess } from '../processes.js';
import { demoEnterprises, demoSuppliers, PRODUCTS, runTag } from './demo-data.js';

const args = process.argv.slice(2);
const once = args.includes('--once');
const enterpriseCount = Number(args[args.indexOf('--enterprises') + 1]) || 3000;
const TIME_ZONE = 'Asia/Shanghai';
/** Supply as a share of demand: masks are short, as on the worst days. */
const SUPPLY_RATIO: Record<string, number> = { 'MASK-MED': 0.7, 'MASK-KN95': 0.85, 'SANITIZER-500': 1.2, 'DISINFECT-5L': 1.0 };

const config = loadConfig();
const base = `http://127.0.0.1:${config.PORT}`;
const api = new ApiClient(base);
const ok = api.ok.bind(api);
const children: StartedProcess[] = [];

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function stopAll(): void {
  for (const c of children) c.child.kill('SIGTERM');
}

const pct = (x: number | undefined) => (x === undefined ? '  –  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
const hhmm = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
/** A pickup's slot, or why it has none (the maker's slots were full: the office assigns one by hand). */
const slot = (start: string | null, end: string | null) => (start && end ? `${hhmm(start)}–${hhmm(end)}` : 'no free slot');

async function main(): Promise<void> {
  const t0 = Date.now();
  // A fresh machine has no database yet: create it first (if PostgreSQL is down, the probe says so).
  await ensureDatabase(config.DATABASE_URL).catch(() => undefined);
  const problem = await probeDependencies(config);
  if (problem) throw new Error(problem);
  await runMigrations(config.DATABASE_URL);

  const adminToken = `ppe_demo_${randomBytes(24).toString('base64url')}`;
  // The demo's coordinator registers 3,000 enterprises in seconds (an office would import a CSV), so its
  // API process allows far more than the default 1,200 requests a minute per credential.
  const env = { BOOTSTRAP_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000' };
  children.push(startNode('api', API_MAIN, { env }), startNode('worker', WORKER_MAIN, { env }));
  await waitUntilReady(base);
  log(`API ready on ${base}`);

  // The zone, its coordinator and catalogue.
  const tag = runTag(Date.now());
  const seeded = await createZone(
    api,
    adminToken,
    { name: `常州经开区 演示 Changzhou demo ${tag}`, timeZone: TIME_ZONE, cutoffTime: '20:00', runTime: '01:00', maxPickupDistanceKm: 30 },
    '经开区产销对接小组',
    PRODUCTS,
  );
  const zone = { id: seeded.zoneId };
  const coordinator = seeded.coordinatorToken;

  // Makers and enterprises register, each gets its own credential.
  const suppliers = demoSuppliers(7, tag);
  const supplierOrgs = (await registerOrganizations(api, seeded, 'suppliers', suppliers.map((s) => s.body), 4, '仓库')).map((org, i) => ({ ...org, share: suppliers[i].capacityShare }));
  const enterprises = demoEnterprises(enterpriseCount, 11, tag);
  const enterpriseOrgs = (await registerOrganizations<Registered & { priorityCategory: string }>(api, seeded, 'enterprises', enterprises.map((e) => e.body), 16, '行政')).map((org, i) => ({
    ...org,
    headcount: enterprises[i].headcount,
    stock: enterprises[i].stock,
  }));
  log(`registered ${supplierOrgs.length} suppliers and ${enterpriseOrgs.length} enterprises (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  // Reports for tomorrow (zone-local), open until the cutoff at 20:00 today.
  const now = new Date();
  let serviceDate = addDays(zoneToday(now, TIME_ZONE), 1);
  if (now >= reportCutoff(serviceDate, '20:00', TIME_ZONE)) serviceDate = addDays(serviceDate, 1);
  const demand: Record<string, number> = {};
  await pool(enterpriseOrgs, 32, async (e) => {
    const lines = PRODUCTS.map((p) => ({ productCode: p.code, ...(p.code === 'MASK-MED' && e.stock ? { stockOnHand: e.stock } : {}) }));
    const report = (await ok<{ lines: { productCode: string; need: number }[] }>('POST', `/enterprises/${e.id}/demand-reports`, e.token, { serviceDate, headcount: e.headcount, lines })).body;
    for (const l of report.lines) demand[l.productCode] = (demand[l.productCode] ?? 0) + l.need;
  });
  await pool(supplierOrgs, 4, async (s) => {
    const lines = PRODUCTS.filter((p) => s.share[p.code]).map((p) => {
      const makers = supplierOrgs.filter((o) => o.share[p.code]).length;
      return { productCode: p.code, quantity: Math.round(((demand[p.code] ?? 0) * SUPPLY_RATIO[p.code]) / makers) };
    });
    await ok('POST', `/suppliers/${s.id}/capacity-reports`, s.token, { serviceDate, lines });
  });
  log(`posted ${enterpriseOrgs.length} demand reports and ${supplierOrgs.length} capacity reports for ${serviceDate} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  const day = (await ok<{ products: { productCode: string; totalDemand: number; capacity: number; coverage: number | null }[] }>('GET', `/zones/${zone.id}/days/${serviceDate}`, coordinator)).body;
  log();
  log(`Day at a glance, ${serviceDate}`);
  for (const p of day.products) log(`  ${p.productCode.padEnd(14)} demand ${String(p.totalDemand).padStart(9)}  capacity ${String(p.capacity).padStart(9)}  coverage ${pct(p.coverage ?? undefined)}`);

  // The zone's nightly scheduler exists (one per zone); the demo starts the same run now, through the queue.
  const catalogue = openJobCatalogue(config.REDIS_URL, config.QUEUE_PREFIX);
  const scheduler = await catalogue.jobs.nightlyScheduler(zone.id);
  await catalogue.close();
  log();
  log(`Nightly scheduler ${nightlySchedulerId(zone.id)}: '${scheduler?.pattern}' ${scheduler?.tz}, next at ${scheduler?.next ? new Date(Number(scheduler.next)).toISOString() : '?'}`);
  const started = (await ok<{ id: string }>('POST', `/zones/${zone.id}/runs`, coordinator, { serviceDate })).body;
  let run: { body: RunBody; headers: Headers };
  for (;;) {
    run = await ok<RunBody>('GET', `/runs/${started.id}`, coordinator);
    if (run.body.status === 'draft') break;
    if (run.body.status === 'failed') throw new Error(`run failed: ${run.body.failureReason}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`run ${started.id} computed by the worker in ${run.body.solveMs} ms (solve), draft`);
  const published = await ok<RunBody>('POST', `/runs/${started.id}/publish`, coordinator, undefined, { 'if-match': run.headers.get('etag') ?? '' });
  log(`published at ${published.body.publishedAt}`);
  printFigures(published.body.figures);

  // A few enterprises' schedules (one per tier present) and one supplier's slot list.
  const tierOf = (cat: string) => ({ epidemic_prevention: 1, medical: 1, key_supply: 1, city_operations: 2, daily_life: 2, above_scale: 3 })[cat] ?? 4;
  for (const tier of [1, 2, 3, 4]) {
    const e = enterpriseOrgs.find((o) => tierOf(o.priorityCategory) === tier);
    if (!e) continue;
    const schedule = (await ok<ScheduleBody>('GET', `/enterprises/${e.id}/schedules/${serviceDate}`, e.token)).body;
    log();
    log(`Schedule of ${e.name} (tier ${tier}, ${e.headcount} on site)`);
    for (const p of schedule.pickups) {
      const goods = p.lines.map((l) => `${l.productCode} ${l.units} (${l.packs} packs)`).join(', ');
      log(`  ${slot(p.slotStart, p.slotEnd).padEnd(11)}  ${p.supplier.name}, ${p.supplier.address}  code ${p.pickupCode}  ${goods}`);
    }
    if (!schedule.pickups.length) log('  nothing allocated (see the run’s explanations)');
  }
  const maker = supplierOrgs[0];
  const slots = (await ok<SupplierBody>('GET', `/suppliers/${maker.id}/pickups/${serviceDate}`, maker.token)).body.slots;
  log();
  log(`Pickup list of ${maker.name}: ${slots.length} slots, ${slots.reduce((a, s) => a + s.pickups.length, 0)} pickups; the first three slots:`);
  for (const s of slots.slice(0, 3)) {
    log(`  ${slot(s.slotStart, s.slotEnd)}: ${s.pickups.map((p) => `${p.enterprise.name} (${p.lines.map((l) => `${l.packs}×${l.productCode}`).join(', ')})`).join('; ')}`);
  }
  // One ready sign-in link per role, made through the API as a coordinator would in the console.
  const coordinatorId = (await ok<{ userId: string }>('GET', '/me', coordinator)).body.userId;
  const shown = enterpriseOrgs.find((o) => tierOf(o.priorityCategory) === 1) ?? enterpriseOrgs[0];
  const links: [string, string, string][] = [
    ['coordinator', '经开区产销对接小组', (await ok<Invite>('POST', `/users/${coordinatorId}/invites`, coordinator)).body.invitePath],
    ['enterprise', shown.name, (await ok<Invite>('POST', `/organizations/${shown.id}/members`, coordinator, { name: '张敏（后勤）' })).body.invitePath],
    ['maker', maker.name, (await ok<Invite>('POST', `/organizations/${maker.id}/members`, coordinator, { name: '王强（门岗）' })).body.invitePath],
  ];
  log();
  log(`Web console:      ${base}/`);
  log(`Run page:         ${base}/app/coord/runs/${started.id}`);
  log('Sign-in links (each opens once, within 72 hours; open it in a browser or scan it on a phone):');
  for (const [role, who, path] of links) log(`  ${role.padEnd(11)} ${base}${path}  (${who})`);
  log();
  log(`OpenAPI docs:     ${base}/docs`);
  log(`Queue dashboard:  ${base}/queues (send Authorization: Bearer <admin token>)`);
  log(`Admin token:      ${adminToken}`);
  log(`Coordinator:      ${coordinator}`);
  log(`Demo finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

interface Invite {
  invitePath: string;
}

interface RunBody {
  status: string;
  failureReason: string | null;
  solveMs: number | null;
  publishedAt: string | null;
  figures: Figures;
}
interface ProductFigures {
  productCode: string;
  demand: number;
  supply: number;
  allocated: number;
  unmet: number;
  fillRatioByTier: Record<string, number>;
  minFillRatioByTier: Record<string, number>;
  jainIndex: number;
  unitKm: number;
  splits: number;
}
interface Figures {
  demand: number;
  supply: number;
  allocated: number;
  unmet: number;
  fillRatio: number;
  jainIndex: number;
  unitKm: number;
  tripKm: number;
  trips: number;
  splits: number;
  minFillRatioByTier: Record<string, number>;
  pickupsPerEnterprise: { mean: number; max: number };
  byProduct: ProductFigures[];
}
interface ScheduleBody {
  pickups: { slotStart: string | null; slotEnd: string | null; pickupCode: string; supplier: { name: string; address: string }; lines: { productCode: string; units: number; packs: number }[] }[];
}
interface SupplierBody {
  slots: { slotStart: string | null; slotEnd: string | null; pickups: { enterprise: { name: string }; lines: { productCode: string; packs: number }[] }[] }[];
}

function printFigures(f: Figures): void {
  log();
  log('Run figures');
  log('  product         demand    supply  allocated    unmet   tier1   tier2   tier3   tier4   min t1..t4                    Jain   unit·km  splits');
  for (const p of f.byProduct) {
    const tiers = ['1', '2', '3', '4'].map((t) => pct(p.fillRatioByTier[t])).join(' ');
    const mins = ['1', '2', '3', '4'].map((t) => pct(p.minFillRatioByTier[t])).join(' ');
    log(
      `  ${p.productCode.padEnd(14)}${String(p.demand).padStart(8)}${String(p.supply).padStart(10)}${String(p.allocated).padStart(11)}${String(p.unmet).padStart(9)}  ${tiers}  ${mins}  ${p.jainIndex.toFixed(3)}${String(Math.round(p.unitKm)).padStart(10)}${String(p.splits).padStart(8)}`,
    );
  }
  log(`  overall fill ${pct(f.fillRatio)}, min fill ratio per tier ${['1', '2', '3', '4'].map((t) => `t${t} ${pct(f.minFillRatioByTier[t])}`).join(', ')}`);
  log(`  Jain's index ${f.jainIndex.toFixed(3)}, distance ${Math.round(f.unitKm)} unit·km, ${f.trips} pickups (${Math.round(f.tripKm)} km one way), splits ${f.splits}, unmet ${f.unmet} units`);
  log(`  pickups per enterprise: mean ${f.pickupsPerEnterprise.mean.toFixed(2)}, max ${f.pickupsPerEnterprise.max}`);
}

main().then(
  async () => {
    if (once) {
      stopAll();
      process.exit(0);
    }
    log('Serving until interrupted (Ctrl-C).');
    process.on('SIGINT', () => {
      stopAll();
      process.exit(0);
    });
    process.on('SIGTERM', () => {
      stopAll();
      process.exit(0);
    });
  },
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    stopAll();
    process.exit(1);
  },
);
