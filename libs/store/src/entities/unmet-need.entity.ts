import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { AllocationRun } from './allocation-run.entity.js';

/** Units of a product an enterprise needed but did not get in a run: the basis of its carried deficit. */
@Entity('unmet_needs')
@Index(['runId', 'enterpriseId'])
export class UnmetNeed {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => AllocationRun, { onDelete: 'CASCADE' })
  run?: Relation<AllocationRun>;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'varchar', length: 40 })
  productCode: string;

  @Column({ type: 'integer' })
  units: number;
}
