import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Zone } from './zone.entity.js';

/**
 * A province: a set of independent zones whose nights run together, one job per zone spread over
 * every worker, with one summary when all are done (apps/worker/src/province).
 */
@Entity('provinces')
export class Province {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short stable code, e.g. JS for Jiangsu. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** IANA time zone of the province's run time, and of its service dates when a night is started without one. */
  @Column({ type: 'varchar', length: 64, default: 'Asia/Shanghai' })
  timeZone: string;

  /** Local time when the province's night starts every day (its scheduler); the zones' own nightly runs are shared with it. */
  @Column({ type: 'varchar', length: 5, default: '01:00' })
  runTime: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Membership of a zone in a province; a zone belongs to at most one province. */
@Entity('province_zones')
export class ProvinceZone {
  @PrimaryColumn({ type: 'uuid' })
  provinceId: string;

  @ManyToOne(() => Province, { onDelete: 'CASCADE' })
  province?: Relation<Province>;

  @Index({ unique: true })
  @PrimaryColumn({ type: 'uuid' })
  zoneId: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  zone?: Relation<Zone>;
}
