import { MASK, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';
const demand = { serviceDate: DATE, headcount: 10, lines: [{ productCode: MASK.code }] };

/** One Set-Cookie line by its cookie's name, split into its value and attributes (lower-cased names). */
function cookieOf(setCookie: string[] | string | undefined, name: string): { value: string; attributes: Record<string, string> } {
  const line = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookie)}`);
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  return {
    value: pair.slice(name.length + 1),
    attributes: Object.fromEntries(attrs.map((a) => [a.split('=')[0].toLowerCase(), a.split('=')[1] ?? ''])),
  };
}

/**
 * The console's sign-in: invite links exchanged for cookie sessions (single use, expiring), CSRF on
 * cookie-authenticated changes, sign-out, and the coordinator's view of an organization's sign-in
 * links, sessions and credentials, which nobody outside the zone's staff can see or end.
 */
describe('sessions: invite links, cookies, CSRF, sign-out and revocation', () => {
  const { t, f } = useTestApp();
  let w: ZoneWorld;
  let other: ZoneWorld; // another zone with its own coordinator

  beforeAll(async () => {
    w = await f.world();
    other = await f.world();
  });

  const invite = async (organizationId = w.enterprise.id, token = w.coordinatorToken) => {
    const r = await t.http.post(`/organizations/${organizationId}/members`, token, { name: '张敏（后勤）' });
    expect(r.status).toBe(201);
    return { ...r.body, secret: (r.body.invitePath as string).split('#')[1] } as { id: string; userId: string; invitePath: string; secret: string };
  };
  const open = (secret: string, headers: Record<string, string> = {}) => t.http.raw().post('/sessions').set(headers).send({ invite: secret });
  /** A signed-in browser: its Cookie header and the CSRF token it reads from the readable cookie. */
  const signIn = async (organizationId = w.enterprise.id) => {
    const link = await invite(organizationId);
    const r = await open(link.secret);
    expect(r.status).toBe(201);
    const session = cookieOf(r.headers['set-cookie'], 'ppe_session').value;
    const csrf = cookieOf(r.headers['set-cookie'], 'ppe_csrf').value;
    return { link, cookie: `ppe_session=${session}; ppe_csrf=${csrf}`, csrf, userId: r.body.userId as string };
  };

  it('an invite link signs in once, as the member it was made for; used, expired, revoked or unknown links are refused', async () => {
    const link = await invite();
    expect(link.invitePath).toMatch(/^\/app\/invite#[A-Za-z0-9_-]{40,}$/);
    const first = await open(link.secret);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ userId: link.userId, role: 'enterprise', zoneId: w.zoneId, organizationId: w.enterprise.id });
    expect(first.headers['cache-control']).toBe('no-store');

    const again = await open(link.secret);
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('INVITE_USED');

    const late = await invite();
    const now = t.clock.now();
    t.clock.set(new Date(now.getTime() + 72 * 3600_000 + 1000)); // a link lasts 72 hours
    try {
      const expired = await open(late.secret);
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe('INVITE_EXPIRED');
    } finally {
      t.clock.set(now);
    }

    const withdrawn = await invite();
    expect((await t.http.post(`/invites/${withdrawn.id}/revoke`, w.coordinatorToken)).status).toBe(204);
    const revoked = await open(withdrawn.secret);
    expect(revoked.status).toBe(410);
    expect(revoked.body.code).toBe('INVITE_REVOKED');

    const unknown = await open('A'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('INVITE_NOT_FOUND');
    const malformed = await open('not a secret');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and a readable CSRF cookie, not Secure over plain HTTP or a forged X-Forwarded-Proto', async () => {
    const link = await invite();
    // The app trusts no proxy by default (TRUST_PROXY empty): a client cannot claim TLS.
    const r = await open(link.secret, { 'X-Forwarded-Proto': 'https' });
    expect(r.status).toBe(201);
    const session = cookieOf(r.headers['set-cookie'], 'ppe_session');
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(session.attributes).toMatchObject({ httponly: '', samesite: 'Lax', path: '/', 'max-age': String(14 * 24 * 3600) });
    expect(session.attributes).not.toHaveProperty('secure');
    const csrf = cookieOf(r.headers['set-cookie'], 'ppe_csrf');
    expect(csrf.attributes).toMatchObject({ samesite: 'Lax', path: '/' });
    expect(csrf.attributes).not.toHaveProperty('httponly'); // the console reads it to echo it in X-CSRF-Token
    expect(csrf.value).not.toBe(session.value);
  });

  it('a cookie session reads freely; a cookie change needs the CSRF token; a bearer token needs none', async () => {
    const s = await signIn();
    const me = await t.http.raw().get('/me').set('Cookie', s.cookie);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: s.userId, role: 'enterprise', organizationId: w.enterprise.id });

    const without = await t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Cookie', s.cookie).send(demand);
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Cookie', s.cookie).set('X-CSRF-Token', `${s.csrf.slice(0, -1)}x`).send(demand);
    expect(wrong.status).toBe(403);
    // Another session's token does not fit this session.
    const otherSession = await signIn();
    const foreignToken = await t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Cookie', s.cookie).set('X-CSRF-Token', otherSession.csrf).send(demand);
    expect(foreignToken.status).toBe(403);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM demand_reports WHERE enterprise_id = $1', [w.enterprise.id]);
    expect(n).toBe(0); // nothing refused was written

    const withToken = await t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(demand);
    expect(withToken.status).toBe(201);
    // Integrations keep their bearer tokens, with or without a stray cookie.
    expect((await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, demand)).status).toBe(201);
    const bearerAndCookie = await t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Authorization', `Bearer ${w.enterprise.token}`).set('Cookie', s.cookie).send(demand);
    expect(bearerAndCookie.status).toBe(201);
  });

  it('signing out ends the session and clears both cookies; it is a change, so it needs the CSRF token', async () => {
    const s = await signIn();
    const noToken = await t.http.raw().post('/sessions/sign-out').set('Cookie', s.cookie);
    expect(noToken.status).toBe(403);
    expect((await t.http.raw().get('/me').set('Cookie', s.cookie)).status).toBe(200);

    const out = await t.http.raw().post('/sessions/sign-out').set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    expect(out.status).toBe(204);
    expect(cookieOf(out.headers['set-cookie'], 'ppe_session').attributes['max-age']).toBe('0');
    expect(cookieOf(out.headers['set-cookie'], 'ppe_csrf').attributes['max-age']).toBe('0');
    const after = await t.http.raw().get('/me').set('Cookie', s.cookie);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_EXPIRED');
    // A bearer caller has no session to end.
    expect((await t.http.post('/sessions/sign-out', w.enterprise.token)).status).toBe(204);
    expect((await t.http.get('/me', w.enterprise.token)).status).toBe(200);
  });

  it('a session expires after 14 days', async () => {
    const s = await signIn();
    const now = t.clock.now();
    t.clock.set(new Date(now.getTime() + 14 * 24 * 3600_000 - 60_000));
    try {
      expect((await t.http.raw().get('/me').set('Cookie', s.cookie)).status).toBe(200);
      t.clock.set(new Date(now.getTime() + 14 * 24 * 3600_000 + 1000));
      expect((await t.http.raw().get('/me').set('Cookie', s.cookie)).status).toBe(401);
    } finally {
      t.clock.set(now);
    }
  });

  it('a coordinator lists an organization’s sign-in links, sessions and credentials and ends them at once', async () => {
    const s = await signIn(w.supplier.id);
    const pending = await invite(w.supplier.id);

    const invites = await t.http.get(`/organizations/${w.supplier.id}/invites`, w.coordinatorToken);
    expect(invites.status).toBe(200);
    expect(invites.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([s.link.id, pending.id]));
    expect(invites.body.items.find((i: { id: string }) => i.id === s.link.id).usedAt).not.toBeNull();
    expect(JSON.stringify(invites.body)).not.toContain(pending.secret); // links are shown once, at creation

    const sessions = await t.http.get(`/organizations/${w.supplier.id}/sessions`, w.coordinatorToken);
    expect(sessions.status).toBe(200);
    const mine = sessions.body.items.find((x: { userId: string }) => x.userId === s.userId);
    expect(mine).toMatchObject({ role: 'supplier', organizationId: w.supplier.id, revokedAt: null });

    expect((await t.http.post(`/sessions/${mine.id}/revoke`, w.coordinatorToken)).status).toBe(204);
    expect((await t.http.raw().get('/me').set('Cookie', s.cookie)).status).toBe(401);
    expect((await t.http.post(`/sessions/${mine.id}/revoke`, w.coordinatorToken)).status).toBe(204); // again: the same answer
    const live = await t.http.get(`/organizations/${w.supplier.id}/sessions`, w.coordinatorToken);
    expect(live.body.items.find((x: { id: string }) => x.id === mine.id)).toBeUndefined();
    const ended = await t.http.get(`/organizations/${w.supplier.id}/sessions?includeEnded=true`, w.coordinatorToken);
    expect(ended.body.items.find((x: { id: string }) => x.id === mine.id).revokedAt).not.toBeNull();

    expect((await t.http.post(`/invites/${pending.id}/revoke`, w.coordinatorToken)).status).toBe(204);
    expect((await open(pending.secret)).body.code).toBe('INVITE_REVOKED');

    // Credentials (bearer tokens) of the same organization: listed and revoked the same way.
    const credentials = await t.http.get(`/credentials?organizationId=${w.supplier.id}`, w.coordinatorToken);
    expect(credentials.status).toBe(200);
    expect(credentials.body.items.length).toBeGreaterThan(0);
    const issued = await t.http.post(`/organizations/${w.supplier.id}/credentials`, w.coordinatorToken, { name: '门岗扫码枪' });
    const listed = (await t.http.get(`/credentials?organizationId=${w.supplier.id}`, w.coordinatorToken)).body.items.find((c: { tokenPrefix: string }) => c.tokenPrefix === issued.body.tokenPrefix);
    expect((await t.http.get('/me', issued.body.token)).status).toBe(200);
    expect((await t.http.post(`/credentials/${listed.id}/revoke`, w.coordinatorToken)).status).toBeLessThan(300);
    expect((await t.http.get('/me', issued.body.token)).status).toBe(401);

    const audit = await t.dataSource.query(`SELECT action FROM audit_log WHERE entity_id = ANY($1) ORDER BY id`, [[mine.id, pending.id]]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['session.revoke', 'invite.revoke']));
  });

  it('members and coordinators of another zone can neither see nor end another organization’s links and sessions', async () => {
    const s = await signIn();
    const link = await invite();
    const sessionId = (await t.http.get(`/organizations/${w.enterprise.id}/sessions`, w.coordinatorToken)).body.items.find((x: { userId: string }) => x.userId === s.userId).id;

    // Another zone's coordinator: 404, as for every object outside their zone (ids cannot be probed).
    for (const path of [`/organizations/${w.enterprise.id}/sessions`, `/organizations/${w.enterprise.id}/invites`]) {
      const r = await t.http.get(path, other.coordinatorToken);
      expect([path, r.status]).toEqual([path, 404]);
    }
    for (const path of [`/sessions/${sessionId}/revoke`, `/invites/${link.id}/revoke`, `/users/${s.userId}/invites`]) {
      const r = await t.http.post(path, other.coordinatorToken);
      expect([path, r.status]).toEqual([path, 404]);
    }
    expect((await t.http.post(`/organizations/${w.enterprise.id}/members`, other.coordinatorToken, { name: 'x' })).status).toBe(404);

    // Members (the organization's own, another one's, another zone's): these are staff routes.
    for (const token of [w.enterprise.token, w.supplier.token, other.enterprise.token]) {
      for (const path of [`/organizations/${w.enterprise.id}/sessions`, `/organizations/${w.enterprise.id}/invites`]) expect((await t.http.get(path, token)).status).toBe(403);
      for (const path of [`/sessions/${sessionId}/revoke`, `/invites/${link.id}/revoke`, `/users/${s.userId}/invites`, `/organizations/${w.enterprise.id}/members`]) {
        expect((await t.http.post(path, token, { name: 'x' })).status).toBe(403);
      }
    }
    // …and a cookie session is no way around it.
    const viaCookie = await t.http.raw().post(`/sessions/${sessionId}/revoke`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);
    expect(viaCookie.status).toBe(403);

    // Nothing was ended: the session still works and the link still opens.
    expect((await t.http.raw().get('/me').set('Cookie', s.cookie)).status).toBe(200);
    expect((await open(link.secret)).status).toBe(201);
    // An admin reaches everything.
    expect((await t.http.get(`/organizations/${w.enterprise.id}/sessions`, ADMIN_TOKEN)).status).toBe(200);
  });
});

describe('sessions behind a trusted TLS proxy (TRUST_PROXY)', () => {
  const { t, f } = useTestApp({ config: { TRUST_PROXY: 'loopback' } });

  it('marks both cookies Secure when the proxy says the request came over TLS, and only then', async () => {
    const w = await f.world();
    const link = async () => ((await t.http.post(`/organizations/${w.enterprise.id}/members`, w.coordinatorToken, { name: '李娜' })).body.invitePath as string).split('#')[1];
    const tls = await t.http.raw().post('/sessions').set('X-Forwarded-Proto', 'https').send({ invite: await link() });
    expect(tls.status).toBe(201);
    expect(cookieOf(tls.headers['set-cookie'], 'ppe_session').attributes).toHaveProperty('secure');
    expect(cookieOf(tls.headers['set-cookie'], 'ppe_csrf').attributes).toHaveProperty('secure');
    const plain = await t.http.raw().post('/sessions').send({ invite: await link() });
    expect(cookieOf(plain.headers['set-cookie'], 'ppe_session').attributes).not.toHaveProperty('secure');
  });
});
