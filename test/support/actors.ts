import { Factory, type Org, type ZoneWorld } from './factories.js';
import { ADMIN_TOKEN, type TestApp } from './test-app.js';

/** Every kind of caller an authorization matrix checks: each role, and organizations that are not the resource's own. */
export type Actor = 'anonymous' | 'admin' | 'coordinator' | 'otherCoordinator' | 'enterprise' | 'otherEnterprise' | 'supplier' | 'otherSupplier' | 'foreignEnterprise';
export const ACTORS: Actor[] = ['anonymous', 'admin', 'coordinator', 'otherCoordinator', 'enterprise', 'otherEnterprise', 'supplier', 'otherSupplier', 'foreignEnterprise'];

/** Expected answers in ACTORS order: row(anon, admin, coord, otherCoord, ent, otherEnt, sup, otherSup, foreignEnt). */
export function row<T>(...answers: T[]): Record<Actor, T> {
  return Object.fromEntries(ACTORS.map((a, i) => [a, answers[i]])) as Record<Actor, T>;
}

export interface Cast {
  /** Zone A: the resources under test. */
  w: ZoneWorld;
  otherEnterprise: Org;
  otherSupplier: Org;
  tokens: Record<Actor, string | null>;
}

/** Zone A with a second enterprise and supplier, zone B with its own coordinator and enterprise. */
export async function castActors(t: TestApp): Promise<Cast> {
  const f = new Factory(t);
  const w = await f.world();
  const b = await f.world();
  const otherEnterprise = await f.enterprise(w.zoneId, w.coordinatorToken);
  const otherSupplier = await f.supplier(w.zoneId, w.coordinatorToken);
  return {
    w,
    otherEnterprise,
    otherSupplier,
    tokens: {
      anonymous: null,
      admin: ADMIN_TOKEN,
      coordinator: w.coordinatorToken,
      otherCoordinator: b.coordinatorToken,
      enterprise: w.enterprise.token,
      otherEnterprise: otherEnterprise.token,
      supplier: w.supplier.token,
      otherSupplier: otherSupplier.token,
      foreignEnterprise: b.enterprise.token,
    },
  };
}
