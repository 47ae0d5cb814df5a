import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Zone } from './zone.entity.js';
import { decimalTransformer } from '../database/decimal.transformer.js';

@Entity('products')
@Index(['zoneId', 'code'], { unique: true })
export class Product {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  zone?: Relation<Zone>;

  /** Zone-unique code, e.g. MASK-MED. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 120 })
  nameZh: string;

  @Column({ type: 'varchar', length: 120 })
  nameEn: string;

  /** The unit quantities are counted in, e.g. piece, bottle, can. */
  @Column({ type: 'varchar', length: 20 })
  unit: string;

  /** Units per pack; allocations are whole packs. */
  @Column({ type: 'integer' })
  packSize: number;

  /** Units one on-site worker uses per day. */
  @Column({ type: 'numeric', precision: 10, scale: 3, transformer: decimalTransformer })
  normPerWorker: number;

  /** A stated quantity above headcount × norm × capFactor is refused. */
  @Column({ type: 'numeric', precision: 6, scale: 2, transformer: decimalTransformer })
  capFactor: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
