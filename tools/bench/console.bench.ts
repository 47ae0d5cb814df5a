/**
 * npm run bench:console [-- --enterprises 3000,15000] [-- --port 3230] [-- --database ppe_bench_console] [-- --reuse]
 *
 * The web console's figures, measured in headless Chromium (/usr/bin/chromium or CHROMIUM_PATH):
 *
 * - the initial route's size: the JS and CSS that dist/web/index.html loads, gzip -9;
 * - for each zone size, a demo zone seeded by the demo itself (`demo --once --enterprises N`: the
 *   zone built through the API, reports, a run computed by the worker and published, and a sign-in
 *   link per role), then, with the API serving that database, the coordinator's run page opened
 *   after signing in by the demo's link: time from navigation start to the run's status shown, to
 *   the figures' charts drawn, and to a click on the lines tab answered with rows (time to
 *   interactive); then how it stays responsive: the map tab drawn, a search typed into the lines
 *   table, a scroll to its end, the rows actually in the DOM, and the longest main-thread task.
 *
 * A fresh database each time (dropped and re-created), unless --reuse: then the zones seeded before
 * (remembered in dist/bench-console-<database>.json) are measured again. On a 2-core machine the
 * figures are noisy: run it twice before comparing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '#store';
import { ensureDatabase } from '../../migrations/schema-tools.js';
import { ApiClient } from '../api-seed.js';
import { API_MAIN, startNode, startProcess, waitUntilReady } from '../processes.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const sizes = arg('enterprises', '3000,15000').split(',').map(Number);
const port = Number(arg('port', '3230'));
const databaseName = arg('database', 'ppe_bench_console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEMO_MAIN = 'dist/tools/demo/demo.js';

const dbUrl = new URL(loadConfig().DATABASE_URL);
dbUrl.pathname = `/${databaseName}`;
const env = { DATABASE_URL: dbUrl.toString(), PORT: String(port), QUEUE_PREFIX: 'benchconsole', LOG_LEVEL: 'warn' };
const base = `http://127.0.0.1:${port}`;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
/** The zones seeded in the bench database, so `--reuse` measures again without seeding (the demo's coordinator token mints new links). */
const STATE = `dist/bench-console-${databaseName}.json`;
type Seeded = Record<string, { coordinatorToken: string; runPage: string }>;

/** The assets index.html loads before anything else: its module script, preloaded modules and stylesheets. */
function initialRoute(): void {
  const html = readFileSync('dist/web/index.html', 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  console.log('Initial route (dist/web/index.html):');
  for (const a of assets) {
    const bytes = readFileSync(`dist/web/${a}`);
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += zipped;
    console.log(`  ${a.padEnd(40)} ${kb(bytes.length).padStart(11)} raw  ${kb(zipped).padStart(10)} gzip`);
  }
  console.log(`  total                                    ${kb(raw).padStart(11)} raw  ${kb(gz).padStart(10)} gzip (${gz} bytes)`);
}

/** Seeds a demo zone of `n` enterprises with the demo itself; answers its coordinator's token and run page. */
async function seedDemo(n: number): Promise<{ coordinatorToken: string; runPage: string }> {
  const started = Date.now();
  const demo = startProcess(`demo ${n}`, process.execPath, [DEMO_MAIN, '--once', '--enterprises', String(n)], { env, output: 'capture' });
  await demo.waitForLine('Demo finished', 30 * 60_000);
  await demo.stop();
  // The demo's own API may still be answering on the port while it shuts down: the bench's API starts after it.
  while (await fetch(`${base}/health/live`).then(() => true, () => false)) await new Promise((r) => setTimeout(r, 200));
  const runPage = demo.output.find((l) => l.startsWith('Run page:'))?.match(/(http:\/\/\S+)/)?.[1];
  const coordinatorToken = demo.output.find((l) => l.startsWith('Coordinator:'))?.split(/\s+/)[1];
  if (!coordinatorToken || !runPage) throw new Error(`the demo printed no coordinator token or run page:\n${demo.output.slice(-20).join('\n')}`);
  console.log(`Seeded a demo zone of ${n} enterprises with the demo in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { coordinatorToken, runPage };
}

/** A new sign-in link for the demo's coordinator, through the API. */
async function coordinatorLink(token: string): Promise<string> {
  const api = new ApiClient(base);
  const me = (await api.ok<{ userId: string }>('GET', '/me', token)).body;
  return `${base}${(await api.ok<{ invitePath: string }>('POST', `/users/${me.userId}/invites`, token, {})).body.invitePath}`;
}

/** Milliseconds since the page's navigation started (performance.now() in the page). */
const since = (page: Page) => page.evaluate(() => performance.now());

async function measureRunPage(n: number, link: string, runPage: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`  page error: ${err.message}`));
    page.on('console', (m) => m.type() === 'error' && console.error(`  console: ${m.text()}`));
    await page.goto(link);
    await page.waitForURL((u) => u.pathname === '/app/coord/day', { timeout: 30_000 });
    // Long tasks (> 50 ms on the main thread) from the start of the run page's navigation on.
    // (Scripts for the page are strings: the tools compile without the DOM's types.)
    await page.addInitScript(`window.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => window.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });`);
    await page.goto(runPage, { waitUntil: 'commit' });
    await page.locator('[data-test="run-status"]').waitFor({ timeout: 60_000 });
    const status = await since(page);
    await page.locator('[data-test="chart-fill"] canvas').waitFor({ timeout: 60_000 });
    const charts = await since(page);
    await page.getByRole('tab', { name: /分配明细/ }).click();
    await page.locator('[data-test="line-row"]').first().waitFor({ timeout: 60_000 });
    const interactive = await since(page);
    const lines = await page.getByRole('tab', { name: /分配明细/ }).innerText();
    const ms = (x: number) => `${Math.round(x)} ms`;
    console.log(`Run page, ${n} enterprises (${lines.trim()}):`);
    // What the page fetched from the API, and how long each answer took to arrive (decoded size: what the page parses).
    const calls = await page.evaluate<{ name: string; duration: number; size: number }[]>(
      `performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'fetch').map((e) => ({ name: new URL(e.name).pathname.replace(/[0-9a-f-]{36}/g, ':id'), duration: e.duration, size: e.decodedBodySize }))`,
    );
    for (const c of calls) console.log(`  fetch ${c.name.padEnd(28)} ${ms(c.duration).padStart(8)}  ${kb(c.size).padStart(11)}`);
    console.log(`  run status shown         ${ms(status)} after navigation start`);
    console.log(`  figures' charts drawn    ${ms(charts)}`);
    console.log(`  time to interactive      ${ms(interactive)} (a click on the lines tab answered with rows)`);

    // Responsiveness once loaded: search, scroll to the end, the map.
    const t0 = await since(page);
    const search = page.locator('[data-test="lines-search"] input, input[data-test="lines-search"]');
    // A search by the first characters of the first row's enterprise, so it matches whatever the demo named.
    await search.fill((await page.locator('[data-test="line-row"] span').first().innerText()).slice(0, 4));
    await page.waitForFunction(`document.querySelectorAll('[data-test="line-row"]').length > 0`);
    const searched = (await since(page)) - t0;
    await search.fill('');
    const s0 = await since(page);
    await page.locator('.vbody').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    // The last row drawn is at the bottom of the scrolled box: the rows at the end are rendered.
    await page.waitForFunction(`(() => {
      const rows = document.querySelectorAll('[data-test="line-row"]');
      const body = document.querySelector('.vbody').getBoundingClientRect();
      return rows.length > 0 && rows[rows.length - 1].getBoundingClientRect().bottom <= body.bottom + 40;
    })()`);
    const scrolled = (await since(page)) - s0;
    const rowsInDom = await page.locator('[data-test="line-row"]').count();
    const m0 = await since(page);
    await page.getByRole('tab', { name: '分布图' }).click();
    await page.locator('[data-test="chart-map"] canvas').first().waitFor();
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))'); // the frame after the drawing
    const mapped = (await since(page)) - m0;
    const sampled = (await page.locator('[data-test="chart-map"]').locator('xpath=..').innerText()).trim();
    const longTasks = await page.evaluate<number[]>('window.longTasks');
    console.log(`  search typed → rows      ${ms(searched)}`);
    console.log(`  scroll to the end        ${ms(scrolled)}; ${rowsInDom} rows in the DOM`);
    console.log(`  map tab drawn            ${ms(mapped)}${sampled ? ` (${sampled.split('\n')[0]})` : ''}`);
    console.log(`  longest main-thread task ${ms(Math.max(0, ...longTasks))}; ${longTasks.length} tasks over 50 ms, ${ms(longTasks.reduce((a, b) => a + b, 0))} in all`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  initialRoute();
  const reuse = args.includes('--reuse') && existsSync(STATE);
  const seeded: Seeded = reuse ? JSON.parse(readFileSync(STATE, 'utf8')) : {};
  if (!reuse) await ensureDatabase(env.DATABASE_URL, { recreate: true });
  for (const n of sizes) {
    if (!seeded[n]) {
      seeded[n] = await seedDemo(n);
      writeFileSync(STATE, JSON.stringify(seeded));
    }
    const api = startNode('api', API_MAIN, { env });
    try {
      await waitUntilReady(base);
      await measureRunPage(n, await coordinatorLink(seeded[n].coordinatorToken), seeded[n].runPage);
    } finally {
      await api.stop();
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:console failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
