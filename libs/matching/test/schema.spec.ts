/**
 * The JSON Schemas in libs/matching/schema describe what the library takes and gives: the worked
 * example and random problems must validate against the problem schema, and every result the
 * library returns (ok, infeasible or invalid) against the result schema. A field added to the
 * types but not to the schemas (or the other way round) fails here.
 */
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { allocate } from '../src/index.js';
import { generate } from './generate.js';

// ajv is CommonJS: under nodenext its default import is the module object, whose `default` is the class.
const Ajv2020 = Ajv2020Module.default;
const read = (name: string) => JSON.parse(readFileSync(new URL(`../schema/${name}`, import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
const problemValid = ajv.compile(read('problem.schema.json'));
const resultValid = ajv.compile(read('result.schema.json'));
const example = JSON.parse(readFileSync(new URL('../examples/problem.json', import.meta.url), 'utf8')) as unknown;

/** What the schema finds wrong with `data` (empty when it validates). */
const violations = (v: typeof problemValid, data: unknown) => (v(data) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe('JSON Schemas of the problem and the result', () => {
  it('the worked example and its result validate', () => {
    expect(violations(problemValid, example)).toEqual([]);
    const result = allocate(example);
    expect(result.status).toBe('ok');
    expect(violations(resultValid, result)).toEqual([]);
  });

  it('random problems (with overrides) and their results validate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (seed, overrides) => {
        const problem = generate({ seed, enterprises: 30, suppliers: 5, products: 2, areaKm: 20, maxPickupDistanceKm: 10, supplyRatio: 0.8, tiers: 4, overrides });
        expect(violations(problemValid, problem)).toEqual([]);
        const result = allocate(problem);
        expect(violations(resultValid, result)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('an invalid result (status invalid, with reasons) validates too, and the schema rejects what the library rejects', () => {
    const bad = { ...(example as object), products: [{ code: 'MASK', packSize: 0 }] };
    const result = allocate(bad);
    expect(result.status).toBe('invalid');
    expect(violations(resultValid, result)).toEqual([]);
    expect(violations(problemValid, bad)).not.toEqual([]);
  });
});
