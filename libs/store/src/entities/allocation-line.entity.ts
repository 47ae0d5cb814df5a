import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { AllocationRun } from './allocation-run.entity.js';

/** Enterprise E receives `units` (= `packs` whole packs) of a product from supplier S in a run. */
@Entity('allocation_lines')
@Index(['runId', 'enterpriseId'])
@Index(['runId', 'supplierId'])
export class AllocationLine {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => AllocationRun, { onDelete: 'CASCADE' })
  run?: Relation<AllocationRun>;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'uuid' })
  supplierId: string;

  @Column({ type: 'varchar', length: 40 })
  productCode: string;

  @Column({ type: 'integer' })
  units: number;

  @Column({ type: 'integer' })
  packs: number;

  @Column({ type: 'integer' })
  distanceM: number;
}
