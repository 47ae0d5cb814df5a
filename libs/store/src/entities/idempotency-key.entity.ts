import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A caller's Idempotency-Key and the first response to it (kept 24 hours). A retry with the same
 * key and request gets that response again instead of doing the work twice.
 */
@Entity('idempotency_keys')
@Index(['userId', 'key'], { unique: true })
@Index(['userId', 'createdAt'])
export class IdempotencyKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  /** SHA-256 of method, path and body: the same key with another request is refused. */
  @Column({ type: 'char', length: 64 })
  requestHash: string;

  /** 'in_flight' while the first request runs, then 'done'. */
  @Column({ type: 'varchar', length: 10 })
  state: string;

  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: object | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
