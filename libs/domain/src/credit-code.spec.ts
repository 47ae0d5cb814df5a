import { creditCodeCheckChar, isValidCreditCode, withCheckChar } from './credit-code.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published example codes', () => {
    // Examples printed in public business-licence samples.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110000600037341L')).toBe(true);
  });

  it('rejects a wrong check character, a wrong length and letters outside the alphabet', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false); // I is not in the alphabet
  });

  it('computes the check character so that generated codes validate', () => {
    const code = withCheckChar('91320400MA0000001');
    expect(code).toHaveLength(18);
    expect(isValidCreditCode(code)).toBe(true);
    expect(creditCodeCheckChar('91320400MA000000I')).toBeNull();
  });
});
