import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import { IsServiceDate } from '../../common/validators.js';

export class StartRunDto {
  @ApiProperty({ example: '2026-02-25', description: 'Zone-local service date, within 7 days of today' })
  @IsServiceDate()
  serviceDate: string;
}

export class ListRunsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-02-25' })
  @IsOptional()
  @IsServiceDate()
  serviceDate?: string;
}

export class DiffQuery extends PageQuery {
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

/** A query string is text: only "true" and "false" become booleans, anything else is refused by @IsBoolean. */
const queryBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

export class RunReadQuery {
  @ApiPropertyOptional({ type: Boolean, default: true, description: 'false leaves out inputSnapshot (the matcher input, the largest part of a big run)' })
  @IsOptional()
  @queryBoolean()
  @IsBoolean()
  inputSnapshot?: boolean;
}

export class ExplanationsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this enterprise’s explanation' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only enterprises short of some product (with a reason in `short`)' })
  @IsOptional()
  @queryBoolean()
  @IsBoolean()
  shortOnly?: boolean;
}

/** How a re-run of a published date corrects it. Everything is optional: a minimal correction by default. */
export class RerunDto {
  @ApiPropertyOptional({
    enum: ['minimal', 'full'],
    default: 'minimal',
    description: 'minimal: re-plan only the appointments that changed reports touch (and those named here), every other published appointment stays as printed; full: re-plan the whole date. Confirmed pickups stay as they are either way. Ignored before the date’s first publish.',
  })
  @IsOptional()
  @IsIn(['minimal', 'full'])
  mode?: 'minimal' | 'full';

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Makers whose appointments are re-planned too' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  supplierIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Enterprises whose appointments are re-planned too' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  enterpriseIds?: string[];
}

export class ChangesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'The run to compare against; default: the date’s published run' })
  @IsOptional()
  @IsUUID()
  against?: string;
}
