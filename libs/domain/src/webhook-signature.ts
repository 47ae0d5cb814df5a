import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-ppe-signature';
export const TIMESTAMP_HEADER = 'x-ppe-timestamp';

/**
 * HMAC-SHA256 over `${timestamp}.${body}` with the organization's secret, hex, prefixed `sha256=`.
 * Receivers recompute it and reject stale timestamps to stop replays.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
