/**
 * V8 (Node's engine) compiles hot methods against the hidden class ("shape") of the objects they
 * see. A shape only lives while some object has it: between two calls of `allocate` every flow
 * network, simplex and stage object is garbage, so a full collection frees their shapes, the
 * compiled code that depends on them is thrown away, and the next call runs slowly until it is
 * compiled again (the benchmark forces a collection before each run, like a worker that allocates
 * once a night with other work in between: about twice as slow on the city). So the last object of
 * each hot class is kept, emptied: its arrays, maps and sets are replaced by empty ones of the same
 * kinds, which keeps the shape (and the compiled code) alive and frees the data. Nothing reads it.
 * The same holds for a function made per run and called from hot code (compiled in as a
 * constant): stages take data (flags, numbers) rather than per-run callbacks. With the typed
 * buffers kept too (`int-buffer.ts`), the city benchmark's runs after a forced collection took
 * 0.80–0.92 s against 1.00–1.18 s before (0.72–0.86 s without the collection).
 */
const kept = new Map<unknown, object>();

/** Keeps `instance`'s shape alive after its last use (its contents are emptied). */
export function keepShape(instance: object): void {
  const fields = instance as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const v = fields[key];
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) fields[key] = new (v.constructor as new (n: number) => unknown)(0);
    else if (v instanceof Map) fields[key] = new Map();
    else if (v instanceof Set) fields[key] = new Set();
    else if (Array.isArray(v)) fields[key] = [];
    else if (v !== null && typeof v === 'object') fields[key] = kept.get(v.constructor) ?? {};
  }
  kept.set(instance.constructor, instance);
}
