import { ApiProperty } from '@nestjs/swagger';
import { IMPORT_MODES, type ImportMode } from './import-modes.js';

export class ImportSummaryView {
  @ApiProperty({ format: 'uuid', description: 'Identifies the import in the audit log (entity id of its audit entry)' }) importId: string;
  @ApiProperty({ enum: ['demand', 'capacity'] }) kind: 'demand' | 'capacity';
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: '2026-03-03' }) serviceDate: string;
  @ApiProperty({ enum: IMPORT_MODES, nullable: true, description: 'The mode asked for; null when none was (the file then dropped no product of a latest version)' }) mode: ImportMode | null;
  @ApiProperty({ example: 10000, description: 'Data rows read (blank rows not counted)' }) rows: number;
  @ApiProperty({ example: 2500, description: 'Enterprises (demand) or suppliers (capacity) written: one new report version each' }) organizations: number;
  @ApiProperty({ example: 2500, description: 'Report versions created' }) versionsCreated: number;
  @ApiProperty({ example: 120, description: 'Of those, organizations that already had a report for the date (a repost: a new version replaces it)' }) reposted: number;
  @ApiProperty({ description: 'Imported after the zone cutoff by staff; every report is marked late' }) late: boolean;
}

export class OrganizationImportView {
  @ApiProperty({ format: 'uuid', description: 'Identifies the import in the audit log (entity id of its audit entry)' }) importId: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: 20000, description: 'Data rows read (blank rows not counted)' }) rows: number;
  @ApiProperty({ example: 19800, description: 'Organizations registered: credit codes new to the API' }) created: number;
  @ApiProperty({ example: 150, description: 'Organizations of the zone whose fields the file changed' }) updated: number;
  @ApiProperty({ example: 50, description: 'Organizations of the zone the file names without a change' }) unchanged: number;
}
