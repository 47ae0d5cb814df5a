import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsNotBlank } from '../../common/validators.js';

export class CreateProductDto {
  @ApiProperty({ example: 'MASK-MED', description: 'Zone-unique code: capitals, digits and dashes' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,39}$/, { message: 'code must be 1–40 capitals, digits or dashes' })
  code: string;

  @ApiProperty({ example: '一次性医用口罩' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsNotBlank()
  nameZh: string;

  @ApiProperty({ example: 'Disposable medical mask' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsNotBlank()
  nameEn: string;

  @ApiProperty({ example: 'piece', description: 'The unit quantities are counted in' })
  @IsString()
  @MinLength(1)
  @MaxLength(20)
  @IsNotBlank()
  unit: string;

  @ApiProperty({ example: 50, description: 'Units per pack; allocations are whole packs' })
  @IsInt()
  @Min(1)
  @Max(100000)
  packSize: number;

  @ApiProperty({ example: 2, description: 'Units one on-site worker uses per day' })
  @IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  normPerWorker: number;

  @ApiPropertyOptional({ example: 1.5, default: 1.5, description: 'Stated quantities above headcount × norm × capFactor are refused' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(100)
  capFactor?: number;
}
