import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('zones')
export class Zone {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** IANA time zone; service dates, cutoff and run times are local to it. */
  @Column({ type: 'varchar', length: 64, default: 'Asia/Shanghai' })
  timeZone: string;

  /** Local time on D-1 after which reports for D are refused (HH:MM). */
  @Column({ type: 'varchar', length: 5, default: '20:00' })
  cutoffTime: string;

  /** Local time on D when the nightly allocation run for D starts (HH:MM). */
  @Column({ type: 'varchar', length: 5, default: '01:00' })
  runTime: string;

  /** Local time on D when the latest draft is published if nobody has (HH:MM), or none. */
  @Column({ type: 'varchar', length: 5, nullable: true })
  autoPublishTime: string | null;

  /** Local HH:MM before the cutoff when organizations that have not reported get a reminder webhook; null: none. */
  @Column({ type: 'varchar', length: 5, nullable: true })
  reminderTime: string | null;

  @Column({ type: 'integer', default: 30 })
  maxPickupDistanceKm: number;

  @Column({ type: 'integer', default: 3 })
  maxSuppliersPerEnterprise: number;

  /** Priority category → tier (1 is served first). */
  @Column({ type: 'jsonb' })
  tierMapping: Record<string, number>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
