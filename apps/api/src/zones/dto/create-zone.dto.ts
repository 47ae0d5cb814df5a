import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { DEFAULT_TIER_MAPPING } from '#domain';
import { IsTierMapping, IsTimeOfDay, IsTimeZone, IsNotBlank } from '../../common/validators.js';

export class CreateZoneDto {
  @ApiProperty({ example: '常州经开区 Changzhou Economic Development Zone', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsNotBlank()
  name: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: '20:00', default: '20:00', description: 'Local time on D-1 after which reports for D close' })
  @IsOptional()
  @IsTimeOfDay()
  cutoffTime?: string;

  @ApiPropertyOptional({ example: '01:00', default: '01:00', description: 'Local time on D when the nightly run starts' })
  @IsOptional()
  @IsTimeOfDay()
  runTime?: string;

  @ApiPropertyOptional({ example: '06:00', type: String, nullable: true, description: 'Local time on D to publish the latest draft if nobody has; null for never' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsTimeOfDay()
  autoPublishTime?: string | null;

  @ApiPropertyOptional({
    example: '18:00',
    type: String,
    nullable: true,
    description: 'Local time on D−1, before the cutoff, when every organization that has not reported for D and has a webhook gets a `report.reminder` delivery; null for none',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsTimeOfDay()
  reminderTime?: string | null;

  @ApiPropertyOptional({ example: 30, default: 30, minimum: 1, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  maxPickupDistanceKm?: number;

  @ApiPropertyOptional({ example: 3, default: 3, minimum: 1, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxSuppliersPerEnterprise?: number;

  @ApiPropertyOptional({ example: DEFAULT_TIER_MAPPING, type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, description: 'Priority category → tier (1 is served first)' })
  @IsOptional()
  @IsTierMapping()
  tierMapping?: Record<string, number>;
}
