import { findUnsafeInput, MAX_JSON_DEPTH } from './input-guard.js';

const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};

describe('unsafe input', () => {
  it('passes ordinary bodies, including Chinese text and emoji', () => {
    expect(findUnsafeInput({ name: '常州恒源精密机械有限公司 🚑', lines: [{ productCode: 'MASK-MED', quantity: 1 }], note: null })).toBeNull();
    expect(findUnsafeInput(nested(MAX_JSON_DEPTH - 1))).toBeNull();
  });

  it('names a NUL byte, a lone surrogate, a prototype key and deep nesting by path', () => {
    expect(findUnsafeInput({ lines: [{ reason: 'a\u0000b' }] })).toBe('lines[0].reason: contains a NUL character');
    expect(findUnsafeInput({ name: 'x\uD800' })).toBe('name: contains a lone UTF-16 surrogate');
    expect(findUnsafeInput(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toBe('a.__proto__: this key is not accepted');
    expect(findUnsafeInput({ constructor: { prototype: {} } })).toBe('constructor: this key is not accepted');
    expect(findUnsafeInput({ ['k\u0000']: 1 })).toBe('body: a key contains a NUL character');
    expect(findUnsafeInput(nested(2000))).toMatch(/nested deeper than 32 levels$/);
  });
});
