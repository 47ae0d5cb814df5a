/**
 * Mulberry32: a tiny seeded PRNG, so generated instances (the property tests, the benchmarks, the
 * demo zone) are the same on every run and machine. The allocation itself never draws from it; it
 * lives here because the library's own tests need it and may import nothing outside the library,
 * while tools reach it through `#matching`. Not for anything secret.
 */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
