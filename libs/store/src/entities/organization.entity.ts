import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { OrganizationKind, type PickupWindow } from '#domain';
import { Zone } from './zone.entity.js';
import { decimalTransformer } from '../database/decimal.transformer.js';

export type { PickupWindow };

/** An enterprise (复工企业) or a supplier (maker); kind-specific columns are null for the other kind. */
@Entity('organizations')
@Index(['zoneId', 'kind', 'name'])
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @ManyToOne(() => Zone, { onDelete: 'RESTRICT' })
  zone?: Relation<Zone>;

  @Column({ type: 'enum', enum: OrganizationKind, enumName: 'organization_kind' })
  kind: OrganizationKind;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** 统一社会信用代码, checked against GB 32100-2015. */
  @Index({ unique: true })
  @Column({ type: 'char', length: 18 })
  creditCode: string;

  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Column({ type: 'numeric', precision: 9, scale: 6, transformer: decimalTransformer })
  latitude: number;

  @Column({ type: 'numeric', precision: 9, scale: 6, transformer: decimalTransformer })
  longitude: number;

  @Column({ type: 'varchar', length: 100 })
  contactName: string;

  @Column({ type: 'varchar', length: 40 })
  contactPhone: string;

  // Enterprise only
  @Column({ type: 'integer', nullable: true })
  registeredEmployees: number | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  priorityCategory: string | null;

  @Column({ type: 'boolean', nullable: true })
  aboveScale: boolean | null;

  // Supplier only: the pickup site at the maker's door
  @Column({ type: 'varchar', length: 300, nullable: true })
  pickupSiteAddress: string | null;

  @Column({ type: 'jsonb', nullable: true })
  pickupWindows: PickupWindow[] | null;

  @Column({ type: 'integer', nullable: true })
  slotMinutes: number | null;

  @Column({ type: 'integer', nullable: true })
  vehiclesPerSlot: number | null;

  /** Where run notifications are POSTed, signed with HMAC-SHA256 using webhookSecret. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  webhookUrl: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true, select: false })
  webhookSecret: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
