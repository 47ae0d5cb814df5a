import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsTimeOfDay } from '../../common/validators.js';

export class PickupWindowDto {
  @ApiProperty({ example: '08:00' })
  @IsTimeOfDay()
  start: string;

  @ApiProperty({ example: '12:00' })
  @IsTimeOfDay()
  end: string;
}

/** A supplier's pickup windows at its door, cut into slots of `slotMinutes` with `vehiclesPerSlot` each. */
export class PickupWindowsDto {
  @ApiProperty({ type: [PickupWindowDto], example: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '17:00' }] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => PickupWindowDto)
  pickupWindows: PickupWindowDto[];

  @ApiPropertyOptional({ example: 30, default: 30, minimum: 5, maximum: 240 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes?: number;

  @ApiPropertyOptional({ example: 4, default: 2, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  vehiclesPerSlot?: number;
}
