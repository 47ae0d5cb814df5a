import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { User } from './user.entity.js';

/** A bearer API token. Only its SHA-256 hash is stored; the token is shown once, when issued. */
@Entity('api_credentials')
export class ApiCredential {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  user?: Relation<User>;

  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  /** The token's first characters, to tell credentials apart in listings and logs. */
  @Column({ type: 'varchar', length: 16 })
  tokenPrefix: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
