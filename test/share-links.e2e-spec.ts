import ICAL from 'ical.js';
import { Factory, MASK, SANITIZER, type ZoneWorld } from './support/factories.js';
import { createTestApp, DEFAULT_NOW, resetData, type TestApp } from './support/test-app.js';
import { clearQueues, createTestWorker, runInStatus, type TestWorker } from './support/test-worker.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai. Reports for 03-03 are open; runs for 03-03 may start now.
const DATE = '2026-03-03';

interface Pickup {
  appointmentId: string;
  supplier: { name: string; address: string };
  slotStart: string | null;
  slotEnd: string | null;
  pickupCode: string;
  lines: { nameZh: string; units: number }[];
}

/** Shareable slips (a link that opens without a credential, revocable, expiring) and the enterprise's calendar feed. */
describe('share links: slips for drivers and a calendar of pickups', () => {
  let t: TestApp;
  let worker: TestWorker;
  let w: ZoneWorld;
  let otherEnterprise: { id: string; token: string };
  let foreign: ZoneWorld;
  let pickup: Pickup;

  const linkPath = (url: string) => new URL(url).pathname;
  const share = (token: string, enterpriseId: string, appointmentId: string, body: object = {}) =>
    t.http.post(`/enterprises/${enterpriseId}/schedules/${DATE}/slips/${appointmentId}/links`, token, body);

  beforeAll(async () => {
    t = await createTestApp();
    await resetData(t);
    worker = await createTestWorker();
    const f = new Factory(t);
    w = await f.world();
    otherEnterprise = await f.enterprise(w.zoneId, w.coordinatorToken);
    foreign = await f.world();
    const post = (id: string, token: string) =>
      t.http.post(`/enterprises/${id}/demand-reports`, token, { serviceDate: DATE, headcount: 100, lines: [{ productCode: MASK.code }, { productCode: SANITIZER.code }] });
    expect((await post(w.enterprise.id, w.enterprise.token)).status).toBe(201);
    expect((await post(otherEnterprise.id, otherEnterprise.token)).status).toBe(201);
    const capacity = await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, {
      serviceDate: DATE,
      lines: [{ productCode: MASK.code, quantity: 1000 }, { productCode: SANITIZER.code, quantity: 480 }],
    });
    expect(capacity.status).toBe(201);
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    const draft = await runInStatus(t, w.coordinatorToken, started.body.id, 'draft');
    const published = await t.http.raw().post(`/runs/${started.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', draft.headers.etag);
    expect(published.status).toBe(200);
    const schedule = await t.http.get(`/enterprises/${w.enterprise.id}/schedules/${DATE}`, w.enterprise.token);
    expect(schedule.body.timeZone).toBe('Asia/Shanghai');
    pickup = schedule.body.pickups[0];
    expect(pickup.slotStart).not.toBeNull();
  });
  afterAll(async () => {
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await worker.close();
    await t.close();
    await clearQueues();
  });
  afterEach(() => t.clock.set(DEFAULT_NOW));

  it('a slip opens by its link in a browser without a token, with its QR; refused once revoked', async () => {
    const created = await share(w.enterprise.token, w.enterprise.id, pickup.appointmentId);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'slip', appointmentId: pickup.appointmentId, serviceDate: DATE, revokedAt: null });
    expect(new Date(created.body.expiresAt).getTime() - DEFAULT_NOW.getTime()).toBe(72 * 3_600_000);
    const path = linkPath(created.body.url);
    expect(path).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);

    const page = await t.http.raw().get(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toContain(pickup.pickupCode);
    expect(page.text).toContain(pickup.supplier.name);

    const qr = await t.http.raw().get(linkPath(created.body.qrUrl));
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toMatch(/^image\/svg\+xml/);

    // Its coordinator may share it too; revoking (by the enterprise) ends only this link.
    const byCoordinator = await share(w.coordinatorToken, w.enterprise.id, pickup.appointmentId, { validForHours: 2 });
    expect(byCoordinator.status).toBe(201);
    const revoked = await t.http.post(`/share-links/${created.body.id}/revoke`, w.enterprise.token);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await t.http.raw().get(path).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(refused.status).toBe(410);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    expect(refused.text).toContain('此链接已被分享它的企业收回');
    expect(refused.text).toContain('withdrawn');
    const asProblem = await t.http.raw().get(path).set('Accept-Language', 'zh-CN');
    expect([asProblem.status, asProblem.headers['content-type'], asProblem.body.code]).toEqual([410, 'application/problem+json; charset=utf-8', 'SHARE_LINK_REVOKED']);
    expect(asProblem.body.detail).toBe('此链接已被分享它的企业收回，请向企业重新索取');
    expect((await t.http.raw().get(linkPath(created.body.qrUrl))).status).toBe(410);
    expect((await t.http.raw().get(linkPath(byCoordinator.body.url))).status).toBe(200);
    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [created.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['share_link.create', 'share_link.revoke']);
  });

  it('a slip link is refused after it expires; an unknown link is 404', async () => {
    const created = await share(w.enterprise.token, w.enterprise.id, pickup.appointmentId, { validForHours: 1 });
    const path = linkPath(created.body.url);
    t.clock.set(new Date(DEFAULT_NOW.getTime() + 59 * 60_000));
    expect((await t.http.raw().get(path)).status).toBe(200);
    t.clock.set(new Date(DEFAULT_NOW.getTime() + 60 * 60_000));
    const expired = await t.http.raw().get(path).set('Accept', 'text/html');
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('此链接已于');
    expect(expired.text).toContain('SHARE_LINK_EXPIRED');
    expect((await t.http.raw().get(`/s/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await t.http.raw().get('/s/short')).status).toBe(404);
  });

  it('another organization cannot share, or revoke a link to, someone else’s appointment (404)', async () => {
    const other = await share(otherEnterprise.token, w.enterprise.id, pickup.appointmentId);
    expect([other.status, other.body.code]).toEqual([404, 'ORGANIZATION_NOT_FOUND']);
    const ownPathForeignSlip = await share(otherEnterprise.token, otherEnterprise.id, pickup.appointmentId);
    expect([ownPathForeignSlip.status, ownPathForeignSlip.body.code]).toEqual([404, 'PICKUP_NOT_FOUND']);
    expect((await share(foreign.coordinatorToken, w.enterprise.id, pickup.appointmentId)).status).toBe(404);
    expect((await share(w.supplier.token, w.enterprise.id, pickup.appointmentId)).status).toBe(403);
    const created = await share(w.enterprise.token, w.enterprise.id, pickup.appointmentId);
    for (const token of [otherEnterprise.token, foreign.enterprise.token, foreign.coordinatorToken]) {
      const res = await t.http.post(`/share-links/${created.body.id}/revoke`, token);
      expect([res.status, res.body.code]).toEqual([404, 'SHARE_LINK_NOT_FOUND']);
    }
    expect((await t.http.raw().get(linkPath(created.body.url))).status).toBe(200);
  });

  it('the calendar feed: one VEVENT per pickup in the zone’s time, at the maker’s site, with products and code; a new URL revokes the old', async () => {
    const created = await t.http.post(`/enterprises/${w.enterprise.id}/calendar-feed`, w.enterprise.token);
    expect(created.status).toBe(201);
    const path = linkPath(created.body.url);
    expect(path).toMatch(/^\/calendars\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await t.http.raw().get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);

    const calendar = new ICAL.Component(ICAL.parse(res.text));
    const timezone = calendar.getFirstSubcomponent('vtimezone');
    expect(timezone?.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
    ICAL.TimezoneService.register(timezone!); // so that times in it convert to instants
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const schedule = (await t.http.get(`/enterprises/${w.enterprise.id}/schedules/${DATE}`, w.enterprise.token)).body as { pickups: Pickup[] };
    expect(events.map((e) => e.uid).sort()).toEqual(schedule.pickups.map((p) => `${p.appointmentId}@ppe-matching`).sort());
    const event = events.find((e) => e.uid === `${pickup.appointmentId}@ppe-matching`)!;
    expect(event.component.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Asia/Shanghai');
    expect(event.startDate.zone?.tzid).toBe('Asia/Shanghai');
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(pickup.slotStart!).toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(new Date(pickup.slotEnd!).toISOString());
    expect(event.startDate.hour).toBe(new Date(pickup.slotStart!).getUTCHours() + 8); // local, Shanghai is UTC+8
    expect(event.location).toBe(pickup.supplier.address);
    expect(event.description).toContain(pickup.pickupCode);
    for (const line of pickup.lines) expect(event.description).toContain(`${line.nameZh} ${line.units}`);

    // Another enterprise's feed has its own pickups, none of this one's.
    const otherFeed = await t.http.post(`/enterprises/${otherEnterprise.id}/calendar-feed`, otherEnterprise.token);
    const otherEvents = new ICAL.Component(ICAL.parse((await t.http.raw().get(linkPath(otherFeed.body.url))).text)).getAllSubcomponents('vevent');
    expect(otherEvents.map((c) => c.getFirstPropertyValue('uid'))).not.toContain(`${pickup.appointmentId}@ppe-matching`);
    expect((await t.http.post(`/enterprises/${w.enterprise.id}/calendar-feed`, otherEnterprise.token)).status).toBe(404);

    const renewed = await t.http.post(`/enterprises/${w.enterprise.id}/calendar-feed`, w.coordinatorToken);
    expect(renewed.status).toBe(201);
    expect((await t.http.raw().get(path)).status).toBe(410);
    expect((await t.http.raw().get(linkPath(renewed.body.url))).status).toBe(200);
  });
});
