import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '#domain';
import { PageMetaView, PageQuery } from '../common/pagination.js';
import { IsNotBlank } from '../common/validators.js';

export class CreateMemberDto {
  @ApiProperty({ example: '张敏 (logistics)', description: 'Who will sign in' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsNotBlank()
  name: string;
}

export class OpenSessionDto {
  @ApiProperty({ description: 'The secret of an invite link (the part after # in /app/invite#…)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{20,200}$/)
  invite: string;
}

export class InviteView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: '张敏 (logistics)' }) name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() expiresAt: Date;
  @ApiProperty({ nullable: true, type: Date }) usedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
}

export class IssuedInviteView extends InviteView {
  @ApiProperty({
    example: '/app/invite#Jq3xYz…',
    description: 'The sign-in link, relative to the console’s address; shown only now (only a hash of its secret is stored). Single use; expires at expiresAt.',
  })
  invitePath: string;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty({ nullable: true, type: String }) userAgent: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() expiresAt: Date;
  @ApiProperty() lastSeenAt: Date;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
}

export class SessionPageView extends PageMetaView {
  @ApiProperty({ type: [SessionView], description: 'Newest first' }) items: SessionView[];
}

export class InvitePageView extends PageMetaView {
  @ApiProperty({ type: [InviteView], description: 'Newest first' }) items: InviteView[];
}

export class OpenedSessionView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) zoneId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty() expiresAt: Date;
}

export class ListSessionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Include signed-out, revoked and expired sessions' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeEnded?: 'true' | 'false';
}
