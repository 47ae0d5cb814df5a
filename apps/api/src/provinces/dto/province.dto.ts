import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsNotBlank, IsServiceDate, IsTimeOfDay, IsTimeZone } from '../../common/validators.js';

export class CreateProvinceDto {
  @ApiProperty({ example: 'JS', maxLength: 40, description: 'Short stable code (letters, digits, - and _), unique' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'code must be 1–40 letters, digits, - or _' })
  code: string;

  @ApiProperty({ example: '江苏省 Jiangsu', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @IsNotBlank()
  name: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai', description: 'Time zone of the run time, and of the date a scheduled night is for' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: '01:00', default: '01:00', description: 'Local time when the province’s night starts every day (its scheduler)' })
  @IsOptional()
  @IsTimeOfDay()
  runTime?: string;

  @ApiProperty({ type: [String], format: 'uuid', example: ['6f1c2b0e-8d3a-4f7e-9b21-3c5d7a9e1f02', '9a2d4c6e-1b3f-4a5d-8e7c-0f2b4d6a8c13'], minItems: 1, maxItems: 500, description: 'Existing zones, none already in a province' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  zoneIds: string[];
}

export class StartNightDto {
  @ApiProperty({ example: '2026-03-03', description: 'Service date in the province’s time zone, within 7 days of today' })
  @IsServiceDate()
  serviceDate: string;
}

export class NightsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-03-01', description: 'First service date (inclusive)' })
  @IsOptional()
  @IsServiceDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last service date (inclusive)' })
  @IsOptional()
  @IsServiceDate()
  to?: string;
}
