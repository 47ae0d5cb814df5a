import { DomainError } from '../errors.js';
import { checkHeadcount, needFor, normNeed, statedLimit } from './need.js';

const mask = { code: 'MASK-MED', normPerWorker: 2, capFactor: 1.5 };
const sanitizer = { code: 'SAN', normPerWorker: 0.1, capFactor: 1.2 };

describe('need', () => {
  it('derives headcount × norm − stock, rounding the norm need up', () => {
    expect(needFor(100, mask, { stockOnHand: 30 }, 'f')).toBe(170);
    expect(normNeed(25, sanitizer)).toBe(3); // 2.5 bottles → 3
    expect(normNeed(30, sanitizer)).toBe(3); // 0.1 × 30 is 3.0000000000000004 in floating point
  });

  it('never goes below zero when stock covers the day', () => {
    expect(needFor(10, mask, { stockOnHand: 500 }, 'f')).toBe(0);
  });

  it('uses a stated quantity up to headcount × norm × cap factor', () => {
    expect(statedLimit(100, mask)).toBe(300);
    expect(needFor(100, mask, { statedQuantity: 300, stockOnHand: 1000 }, 'f')).toBe(300);
  });

  it('refuses a stated quantity above the cap, naming the field and the limit', () => {
    try {
      needFor(100, mask, { statedQuantity: 301 }, 'lines[0].statedQuantity');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      const e = err as DomainError;
      expect(e.code).toBe('STATED_QUANTITY_ABOVE_CAP');
      expect(e.fields[0].field).toBe('lines[0].statedQuantity');
      expect(e.message).toContain('limit 300');
    }
  });

  it('refuses a headcount above the registered employees, counting none registered as 0', () => {
    expect(checkHeadcount(100, 100, 'headcount')).toBe(100);
    expect(() => checkHeadcount(101, 100, 'headcount')).toThrow('Headcount 101 exceeds the 100 registered employees');
    try {
      checkHeadcount(1, null, 'row 3: headcount');
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('HEADCOUNT_ABOVE_REGISTERED');
      expect((err as DomainError).fields).toEqual([{ field: 'row 3: headcount', reason: 'Headcount 1 exceeds the 0 registered employees' }]);
    }
  });
});
