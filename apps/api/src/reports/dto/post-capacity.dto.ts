import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { IsServiceDate } from '../../common/validators.js';
import { MAX_QUANTITY, ReportLines } from './post-demand.dto.js';

export class CapacityLineDto {
  @ApiProperty({ example: 'MASK-MED' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,39}$/, { message: 'productCode must be a product code of the zone’s catalogue' })
  productCode: string;

  @ApiProperty({ example: 20000, description: 'Units released for allocation on the service date' })
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity: number;
}

export class PostCapacityDto {
  @ApiProperty({ example: '2026-02-25' })
  @IsServiceDate()
  serviceDate: string;

  @ReportLines(CapacityLineDto, [{ productCode: 'MASK-MED', quantity: 20000 }])
  lines: CapacityLineDto[];
}
