import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';

export class ListCredentialsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this organization’s member credentials' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Admins: only this zone’s coordinators and members' })
  @IsOptional()
  @IsUUID()
  zoneId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Include revoked credentials' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeRevoked?: 'true' | 'false';
}
