import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsServiceDate } from '../../common/validators.js';

export const MAX_QUANTITY = 100_000_000;

export class DemandLineDto {
  @ApiProperty({ example: 'MASK-MED' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,39}$/, { message: 'productCode must be a product code of the zone’s catalogue' })
  productCode: string;

  @ApiPropertyOptional({ example: 800, type: 'integer', nullable: true, description: 'Units asked for; omit or null to use headcount × norm − stock on hand' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  statedQuantity?: number | null;

  @ApiPropertyOptional({ example: 100, default: 0, description: 'Units already in stock' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  stockOnHand?: number;
}

export class PostDemandDto {
  @ApiProperty({ example: '2026-02-25', description: 'Zone-local service date, today to 7 days ahead; closes at the zone cutoff on the day before' })
  @IsServiceDate()
  serviceDate: string;

  @ApiProperty({ example: 380, description: 'Employees on site that day; at most the registered employees' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  headcount: number;

  @ApiProperty({ type: [DemandLineDto], example: [{ productCode: 'MASK-MED', stockOnHand: 100 }, { productCode: 'SANITIZER-500', statedQuantity: 24 }] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DemandLineDto)
  lines: DemandLineDto[];
}
