import { applyDecorators, type Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsServiceDate } from '../../common/validators.js';

export const MAX_QUANTITY = 100_000_000;

/**
 * A report's lines: 1 to 50 of the line class, each checked in full. Listed in the order stacked
 * decorators would apply (bottom up), which is the order a refusal lists its reasons in.
 */
export const ReportLines = (line: Class<unknown>, example: object[]) =>
  applyDecorators(Type(() => line), ValidateNested({ each: true }), ArrayMaxSize(50), ArrayMinSize(1), IsArray(), ApiProperty({ type: [line], example }));

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

  @ReportLines(DemandLineDto, [{ productCode: 'MASK-MED', stockOnHand: 100 }, { productCode: 'SANITIZER-500', statedQuantity: 24 }])
  lines: DemandLineDto[];
}
