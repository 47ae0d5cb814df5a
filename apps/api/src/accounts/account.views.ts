import { ApiProperty } from '@nestjs/swagger';
import { Role } from '#domain';
import { PageMetaView } from '../common/pagination.js';

export class IssuedCredentialView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) zoneId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty({ example: 'ppe_Jq3…', description: 'The bearer token. Shown only now; only its hash is stored.' }) token: string;
  @ApiProperty({ example: 'ppe_Jq3xYz' }) tokenPrefix: string;
}

export class CredentialView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: '张敏 (logistics)' }) name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The coordinator’s or the member organization’s zone' }) zoneId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty({ example: 'ppe_Jq3xYz', description: 'The token’s first characters; the token itself is never shown again' }) tokenPrefix: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
}

export class CredentialPageView extends PageMetaView {
  @ApiProperty({ type: [CredentialView] }) items: CredentialView[];
}

export class MeView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) zoneId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
}

export class AuditEntryView {
  @ApiProperty({ example: '42', pattern: '^[0-9]+$', description: 'The entry’s sequence number (a 64-bit integer, as a string)' }) id: string;
  @ApiProperty() at: Date;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ example: 'enterprise' }) actorRole: string;
  @ApiProperty({ example: 'demand_report.post' }) action: string;
  @ApiProperty({ example: 'demand_report' }) entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) zoneId: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { cutoffTime: '20:00' },
    description: 'The changed fields as they were (null for a creation). Which fields depends on entityType: the entity’s own fields as the API names them (a zone’s settings, an organization’s fields, a run’s status…), never a token or secret',
  })
  before: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { cutoffTime: '21:00' },
    description: 'The changed fields as they became (for a creation: the created entity’s fields). Like before, its fields depend on entityType',
  })
  after: Record<string, unknown> | null;
}

export class AuditPageView extends PageMetaView {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
}
