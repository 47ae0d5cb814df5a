import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsServiceDate } from '../../common/validators.js';

export class ReportRangeQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-02-20', description: 'First service date (default: 7 days before today, zone-local)' })
  @IsOptional()
  @IsServiceDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-02-27', description: 'Last service date (default: 7 days after today); at most 62 days after from' })
  @IsOptional()
  @IsServiceDate()
  to?: string;
}
