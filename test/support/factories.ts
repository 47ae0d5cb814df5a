import { withCheckChar } from '#domain';
import { ADMIN_TOKEN, type TestApp } from './test-app.js';

let sequence = 0;
const next = () => ++sequence;

/** A fresh, valid unified social credit code (GB 32100-2015 check character). */
export function creditCode(): string {
  return withCheckChar(`91320400MA${String(next()).padStart(7, '0')}`);
}

export function enterpriseBody(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    name: `常州测试企业${n}有限公司`,
    creditCode: creditCode(),
    address: `常州经开区测试路${n}号`,
    latitude: 31.75 + (n % 50) * 0.001,
    longitude: 120.05 + (n % 50) * 0.001,
    contactName: '王芳',
    contactPhone: '+86 519 8888 6666',
    registeredEmployees: 400,
    priorityCategory: 'above_scale',
    aboveScale: true,
    ...overrides,
  };
}

export function supplierBody(overrides: Record<string, unknown> = {}) {
  const n = next();
  return {
    name: `常州防护用品厂${n}`,
    creditCode: creditCode(),
    address: `常州经开区工业路${n}号`,
    latitude: 31.76,
    longitude: 120.06,
    contactName: '李强',
    contactPhone: '0519-8666-1234',
    pickupWindows: [{ start: '08:00', end: '12:00' }],
    slotMinutes: 30,
    vehiclesPerSlot: 3,
    ...overrides,
  };
}

export const MASK = { code: 'MASK-MED', nameZh: '一次性医用口罩', nameEn: 'Disposable medical mask', unit: 'piece', packSize: 50, normPerWorker: 2, capFactor: 1.5 };
export const SANITIZER = { code: 'SANITIZER-500', nameZh: '免洗洗手液 500ml', nameEn: 'Hand sanitizer 500 ml', unit: 'bottle', packSize: 24, normPerWorker: 0.1, capFactor: 1.2 };

export interface Org {
  id: string;
  token: string;
}

export interface ZoneWorld {
  zoneId: string;
  coordinatorToken: string;
  productIds: Record<string, string>;
  enterprise: Org;
  supplier: Org;
}

/** Builds through the real API, as an admin and a coordinator would. Every step must succeed. */
export class Factory {
  constructor(private readonly t: TestApp) {}

  private async ok<T = Record<string, unknown>>(res: Promise<{ status: number; body: unknown }>, expected = 201): Promise<T> {
    const r = await res;
    if (r.status !== expected) throw new Error(`setup call answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body as T;
  }

  async zone(overrides: Record<string, unknown> = {}): Promise<{ zoneId: string; coordinatorToken: string }> {
    const zone = await this.ok<{ id: string }>(this.t.http.post('/zones', ADMIN_TOKEN, { name: `Zone ${next()}`, ...overrides }));
    const coordinator = await this.ok<{ token: string }>(
      this.t.http.post('/users', ADMIN_TOKEN, { name: 'coordinator', role: 'coordinator', zoneId: zone.id }),
    );
    return { zoneId: zone.id, coordinatorToken: coordinator.token };
  }

  async product(zoneId: string, token: string, body: Record<string, unknown> = MASK): Promise<string> {
    return (await this.ok<{ id: string }>(this.t.http.post(`/zones/${zoneId}/products`, token, body))).id;
  }

  async enterprise(zoneId: string, token: string, overrides: Record<string, unknown> = {}): Promise<Org> {
    const org = await this.ok<{ id: string }>(this.t.http.post(`/zones/${zoneId}/enterprises`, token, enterpriseBody(overrides)));
    return { id: org.id, token: await this.credential(org.id, token) };
  }

  async supplier(zoneId: string, token: string, overrides: Record<string, unknown> = {}): Promise<Org> {
    const org = await this.ok<{ id: string }>(this.t.http.post(`/zones/${zoneId}/suppliers`, token, supplierBody(overrides)));
    return { id: org.id, token: await this.credential(org.id, token) };
  }

  async credential(organizationId: string, token: string): Promise<string> {
    return (await this.ok<{ token: string }>(this.t.http.post(`/organizations/${organizationId}/credentials`, token, { name: 'member' }))).token;
  }

  /** A zone with mask and sanitizer products, one enterprise and one supplier, each with a member credential. */
  async world(zoneOverrides: Record<string, unknown> = {}): Promise<ZoneWorld> {
    const { zoneId, coordinatorToken } = await this.zone(zoneOverrides);
    const productIds = {
      [MASK.code]: await this.product(zoneId, coordinatorToken, MASK),
      [SANITIZER.code]: await this.product(zoneId, coordinatorToken, SANITIZER),
    };
    return {
      zoneId,
      coordinatorToken,
      productIds,
      enterprise: await this.enterprise(zoneId, coordinatorToken),
      supplier: await this.supplier(zoneId, coordinatorToken),
    };
  }
}
