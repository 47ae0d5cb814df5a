import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Role } from '#domain';
import { Organization } from './organization.entity.js';
import { Zone } from './zone.entity.js';

/** A person or system acting through the API. Coordinators belong to a zone, members to an organization. */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'enum', enum: Role, enumName: 'user_role' })
  role: Role;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  zoneId: string | null;

  @ManyToOne(() => Zone, { onDelete: 'RESTRICT', nullable: true })
  zone?: Relation<Zone> | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  organizationId: string | null;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: true })
  organization?: Relation<Organization> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
