import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { generate, specArb } from '../test/generate.js';
import { seeded } from './seeded-random.js';
import { allocate } from './allocate.js';
import { correct, type ConfirmedPickup, type CorrectionMode, type PublishedPlan } from './correction.js';
import { haversineM } from './geo.js';
import type { AllocateOptions, AllocationLine, Appointment, Problem, Result } from './types.js';

// The corrected plan is a Result: it must pass the library's result schema (ajv is CommonJS, see schema.spec.ts).
const Ajv2020 = Ajv2020Module.default;
const resultValid = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(new URL('../schema/result.schema.json', import.meta.url), 'utf8')) as object);
const schemaErrors = (r: Result) => (resultValid(r) ? [] : (resultValid.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const correctionSpecArb = () =>
  specArb({}, { vehicles: fc.integer({ min: 1, max: 3 }), supplierSlots: fc.boolean(), maxSuppliersPerEnterprise: fc.integer({ min: 1, max: 4 }) });

const optionsArb = fc.constantFrom<AllocateOptions>({ needRounding: 'up' }, { needRounding: 'down' });

const publish = (r: Result): PublishedPlan => ({ lines: r.lines, appointments: r.appointments, unslotted: r.unslotted, explanations: r.explanations });
const pair = (x: { enterpriseId: string; supplierId: string }) => `${x.enterpriseId}/${x.supplierId}`;

/** Lines per enterprise–supplier pair, as serialised (byte comparison). */
function linesByPair(lines: readonly AllocationLine[]): Map<string, string> {
  const out = new Map<string, AllocationLine[]>();
  for (const l of lines) out.set(pair(l), [...(out.get(pair(l)) ?? []), l]);
  return new Map([...out].map(([k, v]) => [k, JSON.stringify(v)]));
}
const apptByPair = (as: readonly Appointment[]) => new Map(as.map((a) => [pair(a), JSON.stringify(a)]));

/**
 * The same problem with one supplier's capacity of every product scaled by `factor` (never below
 * `floor`), and its pins there cut to fit, as the API fits standing overrides to the day's inputs.
 */
function withCapacity(problem: Problem, supplierId: string, factor: number, floor: (code: string) => number = () => 0): Problem {
  const capacity = Object.fromEntries(
    Object.entries(problem.suppliers.find((s) => s.id === supplierId)!.capacity).map(([c, u]) => [c, Math.max(floor(c), Math.floor(u * factor))]),
  );
  const pack = new Map(problem.products.map((p) => [p.code, p.packSize]));
  const pinned = new Map<string, number>();
  const pins = [];
  for (const pin of problem.overrides?.pins ?? []) {
    if (pin.supplierId !== supplierId) pins.push(pin);
    else {
      const room = (capacity[pin.productCode] ?? 0) - (pinned.get(pin.productCode) ?? 0);
      const units = Math.min(pin.units, Math.floor(room / pack.get(pin.productCode)!) * pack.get(pin.productCode)!);
      if (units <= 0) continue;
      pins.push({ ...pin, units });
      pinned.set(pin.productCode, (pinned.get(pin.productCode) ?? 0) + units);
    }
  }
  return {
    ...problem,
    suppliers: problem.suppliers.map((s) => (s.id !== supplierId ? s : { ...s, capacity })),
    ...(problem.overrides ? { overrides: { ...problem.overrides, pins } } : {}),
  };
}

/** Confirms a random part of the published appointments: all their units, or (`partial`) sometimes fewer whole packs. */
function confirmSome(problem: Problem, published: Result, seed: number, share: number, partial = true): ConfirmedPickup[] {
  const rnd = seeded(seed);
  const pack = new Map(problem.products.map((p) => [p.code, p.packSize]));
  const chosen = new Set(published.appointments.filter(() => rnd() < share).map(pair));
  const out: ConfirmedPickup[] = [];
  for (const l of published.lines) {
    if (!chosen.has(pair(l))) continue;
    const packs = !partial || rnd() < 0.7 ? l.packs : 1 + Math.floor(rnd() * l.packs);
    out.push({ enterpriseId: l.enterpriseId, supplierId: l.supplierId, productCode: l.productCode, units: packs * pack.get(l.productCode)! });
  }
  return out;
}

/** Suppliers that have a published appointment (the interesting ones to change). */
const busy = (r: Result) => [...new Set(r.appointments.map((a) => a.supplierId))].sort();

/** Independent checks of a corrected plan: capacities, confirmed pickups once, need, slots. */
function checkSound(problem: Problem, published: Result, confirmed: readonly ConfirmedPickup[], sut: Result, opt: AllocateOptions) {
  const pack = new Map(problem.products.map((p) => [p.code, p.packSize]));
  const sup = new Map(problem.suppliers.map((s) => [s.id, s]));
  const setQ = new Map((problem.overrides?.setQuantities ?? []).map((q) => [`${q.enterpriseId}/${q.productCode}`, q.units]));
  const need = (e: string, p: string) => setQ.get(`${e}/${p}`) ?? problem.enterprises.find((x) => x.id === e)!.need[p] ?? 0;
  // Capacity never exceeded.
  const atS = new Map<string, number>();
  for (const l of sut.lines) atS.set(`${l.supplierId}/${l.productCode}`, (atS.get(`${l.supplierId}/${l.productCode}`) ?? 0) + l.units);
  for (const [k, units] of atS) {
    const [s, p] = k.split('/');
    expect(units).toBeLessThanOrEqual(sup.get(s)!.capacity[p] ?? 0);
  }
  // Confirmed pickups exactly once: their line is the units handed out, nothing added to the pair,
  // the appointment keeps its published slot, and the enterprise is not served the same need again.
  const lineAt = new Map(sut.lines.map((l) => [`${pair(l)}/${l.productCode}`, l.units]));
  const confirmedPairs = new Set(confirmed.map(pair));
  const confirmedUnits = new Map<string, number>();
  for (const c of confirmed) {
    expect(lineAt.get(`${pair(c)}/${c.productCode}`)).toBe(c.units);
    confirmedUnits.set(`${c.enterpriseId}/${c.productCode}`, (confirmedUnits.get(`${c.enterpriseId}/${c.productCode}`) ?? 0) + c.units);
  }
  for (const l of sut.lines) {
    if (confirmedPairs.has(pair(l))) expect(confirmed.some((c) => pair(c) === pair(l) && c.productCode === l.productCode)).toBe(true);
  }
  const before = apptByPair(published.appointments);
  const after = apptByPair(sut.appointments);
  for (const k of confirmedPairs) expect(after.get(k)).toBe(before.get(k));
  const got = new Map<string, number>();
  for (const l of sut.lines) got.set(`${l.enterpriseId}/${l.productCode}`, (got.get(`${l.enterpriseId}/${l.productCode}`) ?? 0) + l.units);
  for (const [k, units] of got) {
    const [e, p] = k.split('/');
    const n = need(e, p);
    const allowance = opt.needRounding === 'down' ? n : Math.ceil(n / pack.get(p)!) * pack.get(p)!;
    expect(units).toBeLessThanOrEqual(Math.max(allowance, confirmedUnits.get(k) ?? 0));
  }
  // Every pair with units has one appointment or is unslotted; slots hold their vehicles; an
  // enterprise's pickups keep the travel gap.
  const pairs = new Set(sut.lines.map(pair));
  expect([...sut.appointments.map(pair), ...sut.unslotted.map(pair)].sort()).toEqual([...pairs].sort());
  const use = new Map<string, number>();
  for (const a of sut.appointments) {
    const s = sup.get(a.supplierId)!;
    const w = s.windows.find((x) => a.startMinute >= x.startMinute && a.endMinute <= x.endMinute);
    expect(w).toBeDefined();
    const k = `${a.supplierId}@${a.startMinute}`;
    use.set(k, (use.get(k) ?? 0) + 1);
    expect(use.get(k)).toBeLessThanOrEqual(s.windows.filter((x) => a.startMinute >= x.startMinute && a.endMinute <= x.endMinute).reduce((t, x) => t + x.vehicles, 0));
  }
  const speed = problem.settings.travelSpeedKmh ?? 30;
  const buffer = problem.settings.pickupBufferMinutes ?? 10;
  const byE = new Map<string, Appointment[]>();
  for (const a of sut.appointments) byE.set(a.enterpriseId, [...(byE.get(a.enterpriseId) ?? []), a]);
  for (const list of byE.values()) {
    for (const a of list) {
      for (const b of list) {
        if (a === b) continue;
        const sa = sup.get(a.supplierId)!.location;
        const sb = sup.get(b.supplierId)!.location;
        const gap = Math.ceil((haversineM(sa.lat, sa.lng, sb.lat, sb.lng) / 1000 / speed) * 60) + buffer;
        expect(a.endMinute + gap <= b.startMinute || b.endMinute + gap <= a.startMinute).toBe(true);
      }
    }
  }
}

describe('correct (properties on random problems)', () => {
  it('with the published plan given and nothing changed, the correction is the published plan', () => {
    fc.assert(
      fc.property(correctionSpecArb(), optionsArb, fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (spec, opt, seed, withConfirmed) => {
        const problem = generate(spec);
        const published = allocate(problem, opt);
        expect(published.status).not.toBe('invalid');
        const confirmed = withConfirmed ? confirmSome(problem, published, seed, 0.3, false) : [];
        const sut = correct(problem, { published: publish(published), confirmed }, opt);
        expect(sut.result).toEqual(published);
        expect(JSON.stringify(sut.result)).toBe(JSON.stringify(published));
        expect(sut.counts).toMatchObject({ changed: 0, cancelled: 0, new: 0, enterprisesChanged: 0, enterprisesUnchanged: problem.enterprises.length });
        expect(sut.changes.every((c) => c.change === 'kept')).toBe(true);
        expect(sut.replanned).toEqual({ suppliers: [], enterprises: [] });
        // A full re-plan of an unchanged day is the same plan too (the policy is deterministic).
        if (confirmed.length === 0) {
          const full = correct(problem, { published: publish(published), mode: 'full' }, opt);
          expect(full.result.lines).toEqual(published.lines);
          expect(full.result.appointments).toEqual(published.appointments);
          expect(full.result.explanations).toEqual(published.explanations);
          expect(full.counts.enterprisesChanged).toBe(0);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('after a capacity change at one maker, every appointment not at that maker and not absorbing its units is byte-identical', () => {
    fc.assert(
      fc.property(correctionSpecArb(), optionsArb, fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1.6, noNaN: true }), (spec, opt, pick, factor) => {
        const problem = generate(spec);
        const published = allocate(problem, opt);
        const makers = busy(published);
        fc.pre(makers.length > 0);
        const maker = makers[pick % makers.length];
        const changed = withCapacity(problem, maker, factor);
        const sut = correct(changed, { published: publish(published), touched: { suppliers: [maker] } }, opt);
        expect(sut.result.status).not.toBe('invalid');
        checkSound(changed, published, [], sut.result, opt);
        // Only the maker is re-planned, and only the enterprises that had a pickup there.
        const moved = new Set(published.appointments.filter((a) => a.supplierId === maker).map((a) => a.enterpriseId));
        for (const u of published.unslotted) if (u.supplierId === maker) moved.add(u.enterpriseId);
        expect(sut.replanned.suppliers).toEqual([maker]);
        expect(sut.replanned.enterprises).toEqual([...moved].sort());
        const linesBefore = linesByPair(published.lines);
        const linesAfter = linesByPair(sut.result.lines);
        const apptBefore = apptByPair(published.appointments);
        const apptAfter = apptByPair(sut.result.appointments);
        for (const [k, appt] of apptBefore) {
          const [e, s] = k.split('/');
          if (s === maker) continue;
          // Same slot for every appointment elsewhere, and (but for an enterprise that lost units at
          // the maker, which may take more here) the same lines, byte for byte.
          expect(apptAfter.get(k)).toBe(appt);
          if (!moved.has(e)) expect(linesAfter.get(k)).toBe(linesBefore.get(k));
          else {
            for (const l of published.lines.filter((x) => pair(x) === k)) {
              const now = sut.result.lines.find((x) => pair(x) === k && x.productCode === l.productCode);
              expect(now?.units ?? 0).toBeGreaterThanOrEqual(l.units);
            }
          }
        }
        // Enterprises that had nothing at the maker get nothing new anywhere.
        for (const l of sut.result.lines) if (!moved.has(l.enterpriseId)) expect(linesBefore.has(pair(l))).toBe(true);
        for (const c of sut.changes) if (!moved.has(c.enterpriseId)) expect(c.change).toBe('kept');
        // Counts agree with the list.
        const n = (kind: string) => sut.changes.filter((c) => c.change === kind).length;
        expect(sut.counts).toMatchObject({ kept: n('kept'), changed: n('changed'), cancelled: n('cancelled'), new: n('new') });
        expect(sut.counts.enterprisesChanged).toBeLessThanOrEqual(moved.size);
      }),
      { numRuns: 150 },
    );
  });

  it('never exceeds a capacity and never serves a confirmed pickup twice (both modes, named enterprises, pickups handed out)', () => {
    fc.assert(
      fc.property(
        correctionSpecArb(),
        optionsArb,
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 1.3, noNaN: true }),
        fc.constantFrom<CorrectionMode>('minimal', 'full'),
        fc.boolean(),
        (spec, opt, seed, factor, mode, nameSome) => {
          const problem = generate(spec);
          const published = allocate(problem, opt);
          const makers = busy(published);
          fc.pre(makers.length > 0);
          const rnd = seeded(seed);
          const maker = makers[Math.floor(rnd() * makers.length)];
          const confirmed = confirmSome(problem, published, seed, 0.4);
          const handedOut = (code: string) => confirmed.filter((c) => c.supplierId === maker && c.productCode === code).reduce((t, c) => t + c.units, 0);
          const changed = withCapacity(problem, maker, factor, handedOut);
          const named = nameSome ? problem.enterprises.filter(() => rnd() < 0.1).map((e) => e.id) : [];
          const sut = correct(changed, { published: publish(published), confirmed, touched: { suppliers: [maker], enterprises: named }, mode }, opt);
          expect(sut.result.status).not.toBe('invalid');
          checkSound(changed, published, confirmed, sut.result, opt);
          expect(schemaErrors(sut.result)).toEqual([]);
          for (const c of sut.changes) expect(c.confirmed).toBe(confirmed.some((x) => pair(x) === pair(c)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('capacity lowered without naming the maker: its pickups are re-planned anyway (never above capacity)', () => {
    fc.assert(
      fc.property(correctionSpecArb(), fc.integer({ min: 0, max: 1000 }), (spec, pick) => {
        const problem = generate(spec);
        const published = allocate(problem);
        const makers = busy(published);
        fc.pre(makers.length > 0);
        const maker = makers[pick % makers.length];
        const changed = withCapacity(problem, maker, 0.5);
        const sut = correct(changed, { published: publish(published) });
        checkSound(changed, published, [], sut.result, {});
        const used = published.lines.filter((l) => l.supplierId === maker);
        const over = used.some((l) => {
          const total = used.filter((x) => x.productCode === l.productCode).reduce((t, x) => t + x.units, 0);
          return total > (changed.suppliers.find((s) => s.id === maker)!.capacity[l.productCode] ?? 0);
        });
        if (over) {
          expect(sut.replanned.suppliers).toEqual([maker]);
          expect(sut.notes.map((x) => x.code)).toContain('CAPACITY_BELOW_PLAN');
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('correct (the 07:00 story)', () => {
  // Two mask makers; E-A collected its 550 masks at S-1 before 07:00; then S-1 loses half its capacity.
  const problem: Problem = {
    products: [{ code: 'MASK', packSize: 50 }],
    enterprises: [
      { id: 'E-A', location: { lat: 31.80, lng: 119.90 }, tier: 2, need: { MASK: 550 } },
      { id: 'E-B', location: { lat: 31.81, lng: 119.90 }, tier: 2, need: { MASK: 1000 } },
      { id: 'E-C', location: { lat: 31.90, lng: 119.90 }, tier: 2, need: { MASK: 800 } },
      { id: 'E-D', location: { lat: 31.91, lng: 119.91 }, tier: 1, need: { MASK: 400 } },
    ],
    suppliers: [
      { id: 'S-1', location: { lat: 31.80, lng: 119.91 }, windows: [{ startMinute: 480, endMinute: 720, vehicles: 2 }], capacity: { MASK: 1600 } },
      { id: 'S-2', location: { lat: 31.90, lng: 119.91 }, windows: [{ startMinute: 480, endMinute: 720, vehicles: 2 }], capacity: { MASK: 1200 } },
    ],
    settings: { maxPickupDistanceKm: 30, maxSuppliersPerEnterprise: 2, slotMinutes: 30 },
  };

  it('keeps the pickup handed out, keeps the untouched maker, re-plans the rest of the halved maker', () => {
    const published = allocate(problem);
    expect(published.status).toBe('ok');
    const a = published.lines.find((l) => l.enterpriseId === 'E-A')!;
    expect(a).toMatchObject({ supplierId: 'S-1', units: 550 });
    const confirmed = [{ enterpriseId: 'E-A', supplierId: 'S-1', productCode: 'MASK', units: 550 }];
    const halved = withCapacity(problem, 'S-1', 0.5);
    const sut = correct(halved, { published: publish(published), confirmed, touched: { suppliers: ['S-1'] } });
    expect(sut.result.status).toBe('ok');
    // E-A is not served twice; its appointment (and printed code) stands.
    expect(sut.result.lines.filter((l) => l.enterpriseId === 'E-A')).toEqual([a]);
    expect(sut.changes.find((c) => c.enterpriseId === 'E-A')).toMatchObject({ change: 'kept', confirmed: true });
    // S-2's pickups are frozen; S-1 has 800 − 550 = 250 masks left for E-B (and any spare of S-2).
    for (const c of sut.changes.filter((x) => x.supplierId === 'S-2' && x.enterpriseId !== 'E-B')) expect(c.change).toBe('kept');
    const atS1 = sut.result.lines.filter((l) => l.supplierId === 'S-1').reduce((t, l) => t + l.units, 0);
    expect(atS1).toBeLessThanOrEqual(800);
    expect(sut.replanned.enterprises).toEqual(['E-B']);
    expect(sut.counts.enterprisesChanged).toBe(1);
    // The README's worked example: E-B keeps its slot with the 250 masks left; S-2 has none spare.
    expect(sut.result.lines.map((l) => [l.enterpriseId, l.supplierId, l.units])).toEqual([
      ['E-A', 'S-1', 550],
      ['E-B', 'S-1', 250],
      ['E-C', 'S-2', 800],
      ['E-D', 'S-2', 400],
    ]);
    expect(sut.changes.find((c) => c.enterpriseId === 'E-B')).toMatchObject({ change: 'changed', before: { slot: { startMinute: 480 } }, after: { slot: { startMinute: 480 } } });
    // A full re-plan honours the pickup too, but may move everyone's share.
    const full = correct(halved, { published: publish(published), confirmed, mode: 'full' });
    expect(full.result.lines.filter((l) => l.enterpriseId === 'E-A')).toEqual([a]);
    expect(full.counts.enterprisesChanged).toBeGreaterThanOrEqual(sut.counts.enterprisesChanged);
    expect(full.result.lines.map((l) => [l.enterpriseId, l.supplierId, l.units])).toEqual([
      ['E-A', 'S-1', 550],
      ['E-B', 'S-1', 250],
      ['E-B', 'S-2', 350],
      ['E-C', 'S-2', 450],
      ['E-D', 'S-2', 400],
    ]);
    expect(full.counts).toMatchObject({ kept: 2, changed: 2, new: 1, cancelled: 0, enterprisesChanged: 2 });
  });

  it('rejects facts that cannot be: a pickup confirmed twice, above capacity, or without a published appointment', () => {
    const published = publish(allocate(problem));
    const one = { enterpriseId: 'E-A', supplierId: 'S-1', productCode: 'MASK', units: 550 };
    const codes = (c: Parameters<typeof correct>[1], p: Problem = problem) => correct(p, c).result.reasons.map((r) => r.code);
    expect(codes({ published, confirmed: [one, one] })).toEqual(['DUPLICATE_CONFIRMED']);
    expect(codes({ published, confirmed: [one] }, withCapacity(problem, 'S-1', 0.1))).toEqual(['CONFIRMED_ABOVE_CAPACITY']);
    expect(codes({ published, confirmed: [{ ...one, supplierId: 'S-2' }] })).toEqual(['CONFIRMED_NOT_PUBLISHED']);
    expect(codes({ published, confirmed: [{ ...one, units: 520 }] })).toEqual(['CONFIRMED_NOT_WHOLE_PACKS']);
    expect(correct(problem, { published, confirmed: [one, one] }).result.status).toBe('invalid');
  });
});
