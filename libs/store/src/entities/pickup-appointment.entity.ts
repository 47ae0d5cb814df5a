import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { AllocationRun } from './allocation-run.entity.js';
import { PickupStatus } from '#domain';


/** One enterprise–supplier pickup in a run: a slot at the supplier's door and a code checked at the gate. */
@Entity('pickup_appointments')
@Index(['runId', 'enterpriseId'])
@Index(['runId', 'supplierId', 'slotStart'])
@Index(['supplierId', 'pickupCode'])
@Index(['runId', 'slipId'], { unique: true })
export class PickupAppointment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => AllocationRun, { onDelete: 'CASCADE' })
  run?: Relation<AllocationRun>;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'uuid' })
  supplierId: string;

  /** Null when no slot was free in the supplier's windows (reported with the run). */
  @Column({ type: 'timestamptz', nullable: true })
  slotStart: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  slotEnd: Date | null;

  /**
   * The identity printed on the slip and encoded in its QR. A correction that leaves the
   * appointment as it was (enterprise, supplier, slot and lines) keeps its slip id and code, so a
   * printed slip stays valid; a changed appointment gets a new slip id and code.
   */
  @Column({ type: 'uuid' })
  slipId: string;

  /** Eight characters from an unambiguous alphabet, unique within the run. */
  @Column({ type: 'varchar', length: 12 })
  pickupCode: string;

  @Column({ type: 'enum', enum: PickupStatus, enumName: 'pickup_status', default: PickupStatus.Scheduled })
  status: PickupStatus;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  confirmedBy: string | null;
}
