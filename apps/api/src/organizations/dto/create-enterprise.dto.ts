import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PRIORITY_CATEGORIES } from '#domain';
import { OrganizationBaseDto } from './organization-base.dto.js';

export class CreateEnterpriseDto extends OrganizationBaseDto {
  @ApiProperty({ example: 420, description: 'Registered employees; daily headcount cannot exceed it' })
  @IsInt()
  @Min(1)
  @Max(1000000)
  registeredEmployees: number;

  @ApiProperty({ enum: PRIORITY_CATEGORIES, example: 'above_scale', description: 'Mapped to a tier by the zone’s tier mapping' })
  @IsIn(PRIORITY_CATEGORIES)
  priorityCategory: string;

  @ApiPropertyOptional({ example: true, default: false, description: '规模以上企业' })
  @IsOptional()
  @IsBoolean()
  aboveScale?: boolean;
}
