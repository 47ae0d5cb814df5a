import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Keys live 24 hours; a first request still "in flight" after this long is taken as abandoned (its process died). */
export const KEY_TTL = '24 hours';
export const ABANDONED_AFTER = '2 minutes';

export type Claim =
  | { kind: 'first' }
  | { kind: 'replay'; status: number; body: object | null }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

/** Idempotency keys per caller in PostgreSQL, the same store every API process sees. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Claims (userId, key) for this request, or says what the earlier request with that key left. */
  async claim(userId: string, key: string, requestHash: string): Promise<Claim> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, created_at)
       VALUES ($1, $2, $3, 'in_flight', now())
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_flight', response_status = NULL, response_body = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - interval '${KEY_TTL}'
            OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}'
                AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING id`,
      [userId, key, requestHash],
    );
    if (claimed.length > 0) return { kind: 'first' };
    const [row]: { request_hash: string; state: string; response_status: number | null; response_body: object | null }[] = await this.dataSource.query(
      'SELECT request_hash, state, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    );
    if (!row) return this.claim(userId, key, requestHash); // expired and deleted in between
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.state !== 'done') return { kind: 'in_flight' };
    return { kind: 'replay', status: row.response_status!, body: row.response_body };
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4 WHERE user_id = $1 AND key = $2`,
      [userId, key, status, JSON.stringify(body ?? null)],
    );
    // Keep the table small: this caller's expired keys go with each completed request.
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at < now() - interval '${KEY_TTL}'`, [userId]);
  }

  /** Forgets a key whose request failed for a transient reason (5xx), so a retry does the work. */
  async release(userId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'in_flight'`, [userId, key]);
  }
}
