/**
 * `Holdings.giveOne`: packs given one at a time in a fixed order are the greedy of a transversal
 * matroid. The k-th request is granted exactly when every request granted before it and this one
 * can be routed together, which the oracle here decides with its own max flow (plain augmenting
 * paths on the unit graph, from the instance alone).
 */
import fc from 'fast-check';
import { Holdings, reverseReach } from '../src/holdings.js';
import type { Reach } from '../src/reach.js';

interface Instance {
  /** Suppliers each enterprise reaches. */
  reach: number[][];
  /** Packs per supplier. */
  free: number[];
  /** Packs already held: [enterprise, supplier, packs]. */
  held: [number, number, number][];
  /** Requests: the enterprise asking for one more pack, in order. */
  requests: number[];
}

function toReach(lists: number[][]): Reach {
  const off = new Int32Array(lists.length + 1);
  lists.forEach((l, e) => (off[e + 1] = off[e] + l.length));
  const sup = Int32Array.from(lists.flat());
  return { off, sup, dist: new Int32Array(sup.length) };
}

function holdingsOf(x: Instance, group?: { of: Int32Array; id: number }): Holdings {
  const reach = toReach(x.reach);
  const h = new Holdings(x.reach.length, reach, reverseReach(reach, x.free.length), Float64Array.from(x.free));
  for (const [e, s, q] of x.held) h.add(e, s, q);
  if (group) h.restrict(group.of, group.id);
  return h;
}

/** Whether enterprises can get `want[e]` packs each from suppliers with `free[s]` packs, along `reach`. */
function routable(reach: number[][], free: number[], want: number[]): boolean {
  const left = free.slice();
  const at: number[][] = reach.map(() => []);
  const tryPack = (e: number, seen: Set<number>): boolean => {
    for (const s of reach[e]) {
      if (seen.has(s)) continue;
      seen.add(s);
      if (left[s] > 0) {
        left[s]--;
        at[e].push(s);
        return true;
      }
      // Someone holding at s moves one of its packs elsewhere.
      for (let f = 0; f < reach.length; f++) {
        const k = at[f].indexOf(s);
        if (k < 0) continue;
        if (tryPack(f, seen)) {
          at[f].splice(at[f].indexOf(s), 1);
          at[e].push(s);
          return true;
        }
      }
    }
    return false;
  };
  for (let e = 0; e < reach.length; e++) for (let k = 0; k < want[e]; k++) if (!tryPack(e, new Set())) return false;
  return true;
}

/** The greedy by the oracle: request k is granted iff it routes with those granted before. */
function greedy(x: Instance, usable: (s: number) => boolean): boolean[] {
  const reach = x.reach.map((l) => l.filter(usable));
  const want = x.reach.map(() => 0);
  for (const [e, , q] of x.held) want[e] += q;
  return x.requests.map((e) => {
    want[e]++;
    if (routable(reach, x.free, want)) return true;
    want[e]--;
    return false;
  });
}

/** Random instances whose holdings are feasible (each held pack at a reached supplier with room). */
const instances = fc
  .record({
    nE: fc.integer({ min: 1, max: 7 }),
    nS: fc.integer({ min: 1, max: 5 }),
    seed: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 80, maxLength: 80 }),
  })
  .map(({ nE, nS, seed }): Instance => {
    let k = 0;
    const next = (n: number) => seed[k++ % seed.length] % n;
    const reach = Array.from({ length: nE }, () => [...new Set(Array.from({ length: 1 + next(nS) }, () => next(nS)))]);
    const free = Array.from({ length: nS }, () => next(3));
    const room = free.slice();
    const held: [number, number, number][] = [];
    for (let e = 0; e < nE; e++) {
      for (const s of reach[e]) {
        if (room[s] > 0 && next(3) === 0) {
          room[s]--;
          held.push([e, s, 1]);
        }
      }
    }
    const requests = Array.from({ length: 1 + next(10) }, () => next(nE));
    return { reach, free, held, requests };
  });

/** Enterprise e's holdings as [supplier, packs] pairs, in the order they were first held. */
function held(h: Holdings, e: number): [number, number][] {
  const out: [number, number][] = [];
  for (let x = h.first(e); x >= 0; x = h.next(x)) out.push([h.supplierOf(x), h.packsOf(x)]);
  return out;
}

describe('Holdings.giveOne', () => {
  it('moves another enterprise’s pack to reach a free one (augmenting path)', () => {
    // A holds maker 0's only pack and also reaches maker 1; B reaches maker 0 only.
    const h = holdingsOf({ reach: [[0, 1], [0]], free: [1, 1], held: [[0, 0, 1]], requests: [] });
    expect(h.giveOne(1)).toBe(true);
    expect(held(h, 0)).toEqual([[1, 1]]);
    expect(held(h, 1)).toEqual([[0, 1]]);
    expect(h.giveOne(1)).toBe(false);
  });

  it('refuses when every pack in reach is held by those who cannot move', () => {
    const h = holdingsOf({ reach: [[0], [0], [0, 1]], free: [2, 0], held: [[0, 0, 1], [1, 0, 1]], requests: [] });
    expect(h.giveOne(2)).toBe(false);
    expect(h.giveOne(0)).toBe(false);
  });

  it('grants exactly the greedy of the order (independent max flow)', () => {
    fc.assert(
      fc.property(instances, (x) => {
        const h = holdingsOf(x);
        const granted = x.requests.map((e) => h.giveOne(e));
        expect(granted).toEqual(greedy(x, () => true));
        // Every pack held is at a supplier the enterprise reaches, and no supplier gives more than it has.
        const load = x.free.map(() => 0);
        x.reach.forEach((l, e) =>
          held(h, e).forEach(([s, q]) => {
            expect(l).toContain(s);
            expect(h.heldAt(e, s)).toBe(q);
            load[s] += q;
          }),
        );
        load.forEach((q, s) => expect(q).toBeLessThanOrEqual(x.free[s]));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps to the suppliers of a group when restricted', () => {
    fc.assert(
      fc.property(instances, fc.integer({ min: 0, max: 31 }), (x0, bits) => {
        // Group 1: the suppliers picked by `bits`; enterprises hold only there.
        const of = Int32Array.from(x0.free, (_, s) => ((bits >> s) & 1 ? 1 : 2));
        const x = { ...x0, held: x0.held.filter(([, s]) => of[s] === 1) };
        const h = holdingsOf(x, { of, id: 1 });
        const granted = x.requests.map((e) => h.giveOne(e));
        expect(granted).toEqual(greedy(x, (s) => of[s] === 1));
      }),
      { numRuns: 200 },
    );
  });
});
