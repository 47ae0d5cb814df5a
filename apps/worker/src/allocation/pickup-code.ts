import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: codes are read aloud and typed at the gate.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;

/** A random pickup code; `taken` keeps codes unique within a run. */
export function newPickupCode(taken: Set<string>): string {
  for (;;) {
    let code = '';
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}
