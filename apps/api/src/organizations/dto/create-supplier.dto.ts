import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { OrganizationBaseDto } from './organization-base.dto.js';
import { PickupWindowDto } from './pickup-windows.dto.js';
import { IsNotBlank } from '../../common/validators.js';

export class CreateSupplierDto extends OrganizationBaseDto {
  @ApiPropertyOptional({ example: '常州康护医疗用品有限公司 2号门', description: 'Where vehicles pick up; defaults to the address' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @IsNotBlank()
  pickupSiteAddress?: string;

  @ApiProperty({ type: [PickupWindowDto], example: [{ start: '08:00', end: '12:00' }] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => PickupWindowDto)
  pickupWindows: PickupWindowDto[];

  @ApiPropertyOptional({ example: 30, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes?: number;

  @ApiPropertyOptional({ example: 4, default: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  vehiclesPerSlot?: number;
}
