import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OverrideKind } from '#domain';


/**
 * A coordinator's standing instruction for the runs of (zone, service date): pin, exclude or set
 * quantity. Made on any computed run of the date and checked against its inputs; every later run
 * of the date applies it (as far as its inputs allow) until it is withdrawn.
 */
@Entity('run_overrides')
@Index(['zoneId', 'serviceDate'])
export class RunOverride {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Order of making: an older override keeps what a newer one would contest. */
  @Column({ type: 'integer', generated: 'identity', generatedIdentity: 'ALWAYS' })
  position: number;

  @Column({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'date' })
  serviceDate: string;

  /** The run it was made on (and checked against). */
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
