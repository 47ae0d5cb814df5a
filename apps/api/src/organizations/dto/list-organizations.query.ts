import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { OrganizationKind, PRIORITY_CATEGORIES } from '#domain';
import { PageQuery } from '../../common/pagination.js';

export class ListOrganizationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OrganizationKind })
  @IsOptional()
  @IsEnum(OrganizationKind)
  kind?: OrganizationKind;

  @ApiPropertyOptional({ enum: PRIORITY_CATEGORIES })
  @IsOptional()
  @IsIn(PRIORITY_CATEGORIES)
  priorityCategory?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name or credit code', example: '机械' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
