import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsServiceDate } from '../../common/validators.js';

export class StartRunDto {
  @ApiProperty({ example: '2026-02-25', description: 'Zone-local service date, within 7 days of today' })
  @IsServiceDate()
  serviceDate: string;
}

export class ListRunsQuery {
  @ApiPropertyOptional({ example: '2026-02-25' })
  @IsOptional()
  @IsServiceDate()
  serviceDate?: string;
}

export class DiffQuery {
  @ApiProperty({ format: 'uuid', description: 'The run to compare against (the “before”)' })
  @IsUUID()
  against: string;
}

export class LinesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  supplierId?: string;
}
