import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Organization } from './organization.entity.js';

/** What a share link opens without a credential: one pickup slip, or the enterprise's pickup calendar. */
export type ShareLinkKind = 'slip' | 'calendar';

/**
 * A read-only link an enterprise hands out: a driver opens its pickup slip, a calendar app
 * subscribes to its pickups. The link carries a random secret; only its SHA-256 hash is stored,
 * and revoking (or, for slips, expiring) the row ends it.
 */
@Entity('share_links')
@Index(['enterpriseId', 'kind'])
export class ShareLink {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  enterprise?: Relation<Organization>;

  @Column({ type: 'varchar', length: 16 })
  kind: ShareLinkKind;

  /** The slip (appointment) a slip link opens, and its service date; null for a calendar. */
  @Column({ type: 'uuid', nullable: true })
  slipId: string | null;

  @Column({ type: 'date', nullable: true })
  serviceDate: string | null;

  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  secretHash: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Slip links expire; a calendar subscription lasts until revoked. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
