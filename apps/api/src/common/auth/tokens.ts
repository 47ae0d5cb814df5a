import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'ppe_';

/** A new bearer token: 32 random bytes, base64url, with a recognisable prefix. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Tokens carry 256 bits of entropy, so a fast hash is enough; only the hash is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenPrefix(token: string): string {
  return token.slice(0, 10);
}
