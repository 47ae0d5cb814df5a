import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsServiceDate } from '../../common/validators.js';
import { IMPORT_MODES, type ImportMode } from '../import-modes.js';

export class ImportQuery {
  @ApiProperty({
    example: '2026-03-03',
    description: 'Zone-local service date the file reports for: today to 7 days ahead. After the zone cutoff on the day before, the import is still accepted from staff and marked late.',
  })
  @IsServiceDate()
  serviceDate: string;

  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    description:
      'For an organization that already reported for the date: `replace` makes the file’s rows its whole report (products the file leaves out are dropped); ' +
      '`merge` replaces or adds the file’s products in its latest version and keeps the others. Without a mode, a file that leaves out a product of ' +
      'an organization’s latest version is refused (422 IMPORT_MODE_REQUIRED, naming them) and nothing is written.',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}
