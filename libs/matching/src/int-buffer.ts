import { keepShape } from './shapes.js';

/** A copy of typed array `a` in a new array of `size` entries (the rest zero): growing a pool. */
export function grown<T extends Int32Array | Float64Array | Int8Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** A growable Int32Array, so CSR arrays of unknown final size are built without boxed numbers. */
export class IntBuffer {
  data: Int32Array;
  length = 0;

  constructor(initial = 1024) {
    this.data = new Int32Array(Math.max(16, initial));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data[this.length++] = v;
  }

  /** A right-sized copy. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** A growable Float64Array (see IntBuffer). */
export class FloatBuffer {
  data: Float64Array;
  length = 0;

  constructor(initial = 1024) {
    this.data = new Float64Array(Math.max(16, initial));
  }

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data[this.length++] = v;
  }

  /** A right-sized copy. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * A map from non-negative int32 keys to int32 values (open addressing on typed arrays, no
 * deletion): no boxed entries for maps with many integer keys.
 */
export class IntMap {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(k: number): number {
    let i = Math.imul(k, 0x9e3779b1) >>> 0;
    i = (i ^ (i >>> 16)) & this.mask;
    for (;;) {
      const x = this.keys[i];
      if (x === k || x === -1) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The value of `k`, or -1 when absent. */
  get(k: number): number {
    const i = this.slot(k);
    return this.keys[i] === k ? this.vals[i] : -1;
  }

  has(k: number): boolean {
    return this.keys[this.slot(k)] === k;
  }

  set(k: number, v: number): void {
    const i = this.slot(k);
    if (this.keys[i] !== k) {
      this.keys[i] = k;
      this.size++;
    }
    this.vals[i] = v;
    if (this.size * 2 > this.mask) this.rehash();
  }

  private rehash(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    const cap = oldK.length * 2;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    for (let i = 0; i < oldK.length; i++) {
      if (oldK[i] < 0) continue;
      const j = this.slot(oldK[i]);
      this.keys[j] = oldK[i];
      this.vals[j] = oldV[i];
    }
  }
}

// These helpers serve every stage of every run, and their instances all die between runs: one
// empty instance of each is kept, so a full collection between runs does not free their shapes
// and throw away the compiled code of every method that uses them (see `keepShape`).
for (const sample of [new IntBuffer(0), new FloatBuffer(0), new IntMap(0)]) keepShape(sample);
