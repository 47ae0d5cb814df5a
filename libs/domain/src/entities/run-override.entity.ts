import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum OverrideKind {
  Pin = 'pin',
  Exclude = 'exclude',
  SetQuantity = 'set_quantity',
}

/**
 * A coordinator's constraint on the runs of (zone, service date): pin, exclude or set quantity.
 * Made on a draft; every later run of the date keeps it until it is withdrawn.
 */
@Entity('run_overrides')
@Index(['zoneId', 'serviceDate'])
export class RunOverride {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'date' })
  serviceDate: string;

  /** The draft it was made on. */
  @Column({ type: 'uuid' })
  runId: string;

  @Column({ type: 'enum', enum: OverrideKind, enumName: 'override_kind' })
  kind: OverrideKind;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'uuid', nullable: true })
  supplierId: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  productCode: string | null;

  @Column({ type: 'integer', nullable: true })
  units: number | null;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'uuid' })
  createdBy: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;
}
