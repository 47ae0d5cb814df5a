/**
 * Seeding through the real HTTP API, shared by the demo and the API benchmark: a zone with its
 * coordinator and catalogue, then organizations that each get their own credential. Every request
 * goes through validation, the access policy and the audit log, as an office's would.
 */

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  /** As `call`, but any status from 300 up throws with the answer. */
  async ok<T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<Answer<T>> {
    const res = await this.call<T>(method, path, token, body, headers);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  }
}

/** Runs `task` over `items` with at most `width` in flight. */
export async function pool<T, R>(items: T[], width: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i], i);
      }
    }),
  );
  return out;
}

export interface SeededZone {
  zoneId: string;
  coordinatorToken: string;
}

/** As the admin: a zone (POST /zones body), its coordinator, and its products (POST /zones/{id}/products bodies). */
export async function createZone(api: ApiClient, adminToken: string, zone: object, coordinatorName: string, products: object[]): Promise<SeededZone> {
  const { id: zoneId } = (await api.ok<{ id: string }>('POST', '/zones', adminToken, zone)).body;
  const coordinatorToken = (await api.ok<{ token: string }>('POST', '/users', adminToken, { name: coordinatorName, role: 'coordinator', zoneId })).body.token;
  for (const p of products) await api.ok('POST', `/zones/${zoneId}/products`, coordinatorToken, p);
  return { zoneId, coordinatorToken };
}

export interface Registered {
  id: string;
  name: string;
  /** The organization's own credential. */
  token: string;
}

/**
 * As the zone's coordinator: registers one organization per body (`width` at a time) and issues
 * each a credential named `credentialName`. Answers in the order of `bodies`, with the API's answer
 * to the registration spread in (priorityCategory and the like).
 */
export async function registerOrganizations<T extends Registered>(
  api: ApiClient,
  zone: SeededZone,
  kind: 'enterprises' | 'suppliers',
  bodies: object[],
  width: number,
  credentialName: string,
): Promise<T[]> {
  return pool(bodies, width, async (body) => {
    const org = (await api.ok<T>('POST', `/zones/${zone.zoneId}/${kind}`, zone.coordinatorToken, body)).body;
    const token = (await api.ok<{ token: string }>('POST', `/organizations/${org.id}/credentials`, zone.coordinatorToken, { name: credentialName })).body.token;
    return { ...org, token };
  });
}
