import { jest } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROBLEM_CODES } from '#domain';
import { messages, PROBLEM_CODES_ZH } from '../apps/web/src/messages.js';
import { Factory, MASK, SANITIZER, type ZoneWorld } from './support/factories.js';
import { createTestApp, resetData, type TestApp } from './support/test-app.js';
import { clearQueues, createTestWorker, type TestWorker } from './support/test-worker.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai. Reports for 03-03 are open; the gate confirms from 03-03 on.
const DATE = '2026-03-03';
const SHOTS = 'test/artifacts/console';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 375, height: 812 };
const OFFICE = { width: 1366, height: 900 };

/** Text that looks like an i18n key the dictionary did not translate (e.g. `run.tabFigures`). */
const KEY_PREFIXES = [...new Set(Object.keys(messages.zh).map((k) => k.split('.')[0]))];
const UNTRANSLATED = new RegExp(`\\b(?:${KEY_PREFIXES.join('|')})\\.[A-Za-z_]+(?:\\.[A-Za-z_]+)*\\b`, 'g');
/** Four English words in a row: an API message (problem detail) shown as it came. */
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){3,}\b/g;

/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against the real
 * API, worker, PostgreSQL and Redis: one whole day, as the three kinds of users do it, with a
 * screenshot at each step in test/artifacts/console/.
 */
jest.setTimeout(180000);

describe('web console: one whole day in a real browser', () => {
  let t: TestApp;
  let worker: TestWorker;
  let browser: Browser;
  let base: string;
  let w: ZoneWorld;
  const contexts: BrowserContext[] = [];
  const seen: { page: string; keys: string[]; english: string[] }[] = [];
  const errors: string[] = [];
  /** The browser logs every 4xx answer; those the day provokes on purpose (a refused report, a used link, an unknown code) are not errors of the console. */
  const expectedRefusal = (text: string) => /^Failed to load resource: the server responded with a status of 4\d\d/.test(text);

  beforeAll(async () => {
    if (!existsSync('dist/web/index.html')) throw new Error('dist/web is missing: run `npm run build` (npm test does) before the e2e tests');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk (.ci/run does)`);
    mkdirSync(SHOTS, { recursive: true });
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    worker = await createTestWorker();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  }, 60000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await worker?.close();
    await t?.close();
    await clearQueues();
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Europe/London', deviceScaleFactor: 1 });
    contexts.push(context);
    const page = await context.newPage();
    // A page that throws (e.g. while setting up a component) may still half-render: every error is kept and fails the last test.
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    page.on('console', (m) => m.type() === 'error' && !expectedRefusal(m.text()) && errors.push(`console: ${m.text()} at ${page.url()}`));
    return page;
  }

  /** A screenshot, and a record of any untranslated key or English sentence on the page (checked in the last test). */
  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    const text = await page.locator('body').innerText();
    const keys = [...text.matchAll(UNTRANSLATED)].map((m) => m[0]).filter((k) => !/\.(csv|xlsx)$/.test(k));
    const english = [...text.matchAll(ENGLISH_SENTENCE)].map((m) => m[0]);
    seen.push({ page: name, keys, english });
  }

  async function signIn(page: Page, link: string): Promise<void> {
    await page.goto(link);
    await page.waitForURL((u) => !u.pathname.startsWith('/app/invite') && !u.pathname.startsWith('/app/sign-in'), { timeout: 15000 });
  }

  async function waitForRun(page: Page, status: string): Promise<void> {
    await page.locator('[data-test="run-status"]', { hasText: status }).waitFor({ timeout: 60000 });
  }

  let coordinator: Page;
  let enterprise: Page;
  let maker: Page;
  let hospitalId: string;

  it('serves the console at / while the API, /docs and /docs-json keep working', async () => {
    const root = await fetch(`${base}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="app">');
    expect((await fetch(`${base}/app/coord/runs/x`)).status).toBe(200); // client-side route: index.html
    expect((await fetch(`${base}/docs-json`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    const me = await fetch(`${base}/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a coordinator signs in by link and invites an enterprise member and a maker member', async () => {
    await resetData(t);
    w = await new Factory(t).world();
    const f = new Factory(t);
    const hospital = await f.enterprise(w.zoneId, w.coordinatorToken, { name: '常州市第一人民医院', priorityCategory: 'medical', registeredEmployees: 300 });
    hospitalId = hospital.id;
    await f.supplier(w.zoneId, w.coordinatorToken, { name: '江南防护用品有限公司', latitude: 31.77, longitude: 119.96 });
    // Two more enterprises report through the API, so the run has something to share.
    for (const [i, headcount] of [[1, 380], [2, 250]] as const) {
      const e = await f.enterprise(w.zoneId, w.coordinatorToken, { name: `常州精密制造${i}号厂`, priorityCategory: 'above_scale', latitude: 31.74 + i * 0.01, longitude: 119.93 + i * 0.01 });
      const r = await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount, lines: [{ productCode: MASK.code }, { productCode: SANITIZER.code }] });
      expect(r.status).toBe(201);
    }
    const me = await t.http.get('/me', w.coordinatorToken);
    const invite = await t.http.post(`/users/${me.body.userId}/invites`, w.coordinatorToken, {});
    expect(invite.status).toBe(201);

    coordinator = await newPage(OFFICE);
    await signIn(coordinator, `${base}${invite.body.invitePath}`);
    expect(new URL(coordinator.url()).pathname).toBe('/app/coord/day');
    await shot(coordinator, '01-coordinator-day');

    const inviteFor = async (kind: 'enterprise' | 'supplier', orgName: string, member: string): Promise<string> => {
      await coordinator.goto(`${base}/app/coord/organizations`);
      if (kind === 'supplier') {
        await coordinator.locator('.el-radio-button', { hasText: '生产企业' }).click();
        await coordinator.locator('[data-test="org-table"] tr', { hasText: orgName }).waitFor();
      }
      await coordinator.locator('[data-test="org-table"] tr', { hasText: orgName }).getByRole('button', { name: '账号管理' }).click();
      await coordinator.locator('[data-test="member-name"] input, input[data-test="member-name"]').fill(member);
      await coordinator.locator('[data-test="invite"]').click();
      const url = coordinator.locator('[data-test="invite-url"] input, input[data-test="invite-url"]');
      await url.waitFor();
      const link = await url.inputValue();
      expect(link).toMatch(new RegExp(`^${base}/app/invite#[A-Za-z0-9_-]{40,}$`));
      return link;
    };
    const enterpriseLink = await inviteFor('enterprise', '常州市第一人民医院', '张敏（后勤）');
    await shot(coordinator, '02-coordinator-invite-enterprise');
    await coordinator.keyboard.press('Escape');
    const makerLink = await inviteFor('supplier', '江南防护用品有限公司', '王强（门岗）');
    await shot(coordinator, '03-coordinator-invite-maker');

    enterprise = await newPage(PHONE);
    await signIn(enterprise, enterpriseLink);
    maker = await newPage(PHONE);
    await signIn(maker, makerLink);

    // The link is single use: opening it again explains, in Chinese, that it was used.
    const again = await newPage(PHONE);
    await again.goto(enterpriseLink);
    await again.locator('[data-test="invite-error"]', { hasText: '已被使用' }).waitFor();
    await shot(again, '04-invite-used-again');
  });

  it('the enterprise reports on its phone, with the API’s refusal shown in Chinese', async () => {
    await enterprise.goto(`${base}/app/enterprise/report`);
    await enterprise.locator('[data-test="headcount"] input, input[data-test="headcount"]').fill('999'); // above the 300 registered
    await enterprise.locator('[data-test="submit-report"]').click();
    await enterprise.locator('.problem-message', { hasText: '在岗人数不能超过登记的员工人数' }).waitFor();
    await shot(enterprise, '05-enterprise-report-refused');
    await enterprise.locator('[data-test="headcount"] input, input[data-test="headcount"]').fill('280');
    await enterprise.locator(`[data-test="stock-${SANITIZER.code}"] input, input[data-test="stock-${SANITIZER.code}"]`).fill('5');
    await enterprise.locator('[data-test="submit-report"]').click();
    await enterprise.getByText('已提交（第 1 版）').waitFor();
    await shot(enterprise, '06-enterprise-report-saved');
  });

  it('the maker posts capacity on its phone', async () => {
    await maker.goto(`${base}/app/maker/capacity`);
    await maker.locator(`[data-test="capacity-${MASK.code}"] input, input[data-test="capacity-${MASK.code}"]`).fill('1000');
    await maker.locator(`[data-test="capacity-${SANITIZER.code}"] input, input[data-test="capacity-${SANITIZER.code}"]`).fill('240');
    await maker.locator('[data-test="submit-capacity"]').click();
    await maker.getByText('产能已提交（第 1 版）').waitFor();
    await shot(maker, '07-maker-capacity');
    // The world's own maker posts too (through the API).
    const r = await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 300 }] });
    expect(r.status).toBe(201);
  });

  it('the coordinator runs, overrides a line, re-runs, checks the diff and publishes', async () => {
    await coordinator.goto(`${base}/app/coord/day`);
    await coordinator.getByText('需求与产能').waitFor();
    await shot(coordinator, '08-coordinator-day-reported');
    await coordinator.goto(`${base}/app/coord/runs`);
    await coordinator.locator('[data-test="start-run"]').click();
    await coordinator.waitForURL(/\/app\/coord\/runs\/[0-9a-f-]{36}$/);
    await waitForRun(coordinator, '草稿');
    const firstRun = coordinator.url();
    await coordinator.locator('[data-test="chart-fill"] canvas').waitFor();
    await shot(coordinator, '09-coordinator-run');
    await coordinator.getByRole('tab', { name: '分布图' }).click();
    await coordinator.locator('[data-test="chart-map"] canvas').first().waitFor();
    await shot(coordinator, '10-coordinator-run-map');
    await coordinator.getByRole('tab', { name: /分配明细/ }).click();
    await coordinator.locator('[data-test="lines-search"] input, input[data-test="lines-search"]').fill('第一人民医院');
    await coordinator.locator('[data-test="line-row"]').first().waitFor();
    await shot(coordinator, '11-coordinator-run-lines');

    // Override: pin the hospital's masks at 江南 to 500 (10 packs), above the 300 the policy gave there
    // (a pin is "at least"), so the re-run moves masks between the two makers and the diff shows it.
    await coordinator.getByRole('tab', { name: /人工调整/ }).click();
    const hospitalLine = coordinator.locator('.el-table__row', { hasText: '常州市第一人民医院' }).filter({ hasText: '江南防护用品有限公司' }).filter({ hasText: '一次性医用口罩' }).first();
    await hospitalLine.getByRole('button', { name: '指定' }).click();
    await coordinator.locator('[data-test="override-units"] input, input[data-test="override-units"]').fill('500');
    await coordinator.locator('[data-test="override-reason"] input, input[data-test="override-reason"]').fill('医院发热门诊急需，由江南防护集中供应');
    await coordinator.locator('[data-test="add-override"]').click();
    await coordinator.getByText('调整已保存，重新计算后生效').waitFor();
    await coordinator.locator('[data-test="override-row"]').first().waitFor();
    await shot(coordinator, '12-coordinator-override');

    await coordinator.locator('[data-test="rerun"]').click();
    await coordinator.waitForURL((u) => u.toString() !== firstRun && /\/app\/coord\/runs\/[0-9a-f-]{36}$/.test(u.pathname));
    await waitForRun(coordinator, '草稿');
    await coordinator.getByRole('tab', { name: '方案对比' }).click();
    await coordinator.locator('[data-test="diff-table"] .el-table__row', { hasText: '常州市第一人民医院' }).first().waitFor();
    await shot(coordinator, '13-coordinator-diff');

    await coordinator.locator('[data-test="publish"]').click();
    await waitForRun(coordinator, '已发布');
    await coordinator.getByRole('tab', { name: '指标' }).click();
    await shot(coordinator, '14-coordinator-run-published');
  });

  it('the enterprise sees its schedule with a QR code on its phone', async () => {
    await enterprise.goto(`${base}/app/enterprise/schedule`);
    await enterprise.locator('[data-test="pickup-card"]').first().waitFor();
    await enterprise.locator('[data-test="pickup-qr"]').first().waitFor();
    await shot(enterprise, '15-enterprise-schedule-phone');
    // The code of the pickup at the maker who confirms it below (the hospital may also be served by the zone's other maker).
    const atJiangnan = enterprise.locator('[data-test="pickup-card"]', { hasText: '江南防护用品有限公司' });
    const code = (await atJiangnan.locator('[data-test="pickup-code"]').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const schedule = await fetch(`${base}/enterprises/${hospitalId}/schedules/${DATE}`, { headers: { cookie: (await enterprise.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(schedule.status).toBe(200);

    // The maker confirms it at the gate on the service day, typing the code (no camera in a headless browser).
    t.clock.set(new Date('2026-03-03T01:30:00Z')); // 09:30 in Shanghai
    await maker.goto(`${base}/app/maker/pickups`);
    await maker.locator('[data-test="slot"]').first().waitFor();
    await shot(maker, '16-maker-pick-list');
    await maker.goto(`${base}/app/maker/gate`);
    await maker.locator('[data-test="gate-code"] input, input[data-test="gate-code"]').fill(code.toLowerCase());
    await maker.locator('[data-test="gate-confirm"]').click();
    await maker.locator('[data-test="gate-result"]', { hasText: '核验通过' }).waitFor();
    await shot(maker, '17-maker-gate-confirmed');
    // The same code again is idempotent; a wrong one answers in Chinese, in large type.
    await maker.locator('[data-test="gate-code"] input, input[data-test="gate-code"]').fill('ZZZZZZZZ');
    await maker.locator('[data-test="gate-confirm"]').click();
    await maker.locator('[data-test="gate-result"]', { hasText: '领取码不存在' }).waitFor();
    await shot(maker, '18-maker-gate-unknown-code');
  });

  it('sign-out ends the session; a cookie change without the CSRF token is refused', async () => {
    const cookies = await maker.context().cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const session = cookies.find((c) => c.name === 'ppe_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    const noCsrf = await fetch(`${base}/suppliers/${'00000000-0000-4000-8000-000000000000'}/pickups/confirm`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"pickupCode":"ABCDEFGH"}' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { code: string }).code).toBe('CSRF_TOKEN_INVALID');
    await maker.locator('[data-test="sign-out"]').click();
    await maker.waitForURL(/\/app\/sign-in$/);
    await shot(maker, '19-signed-out');
    const after = await fetch(`${base}/console/context`, { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('every page is Chinese: no untranslated key, no English API message; every API problem code has a Chinese text', async () => {
    expect(seen.length).toBeGreaterThanOrEqual(15);
    expect(seen.filter((s) => s.keys.length || s.english.length)).toEqual([]);
    expect(errors).toEqual([]);
    // PROBLEM_CODES is every code the API can answer (DomainError takes no other).
    const missing = PROBLEM_CODES.filter((c) => !PROBLEM_CODES_ZH.includes(c));
    expect(missing).toEqual([]);
  });
});
