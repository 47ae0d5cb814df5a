import { ApiProperty } from '@nestjs/swagger';
import { IsServiceDate } from '../../common/validators.js';

export class ImportQuery {
  @ApiProperty({
    example: '2026-03-03',
    description: 'Zone-local service date the file reports for: today to 7 days ahead. After the zone cutoff on the day before, the import is still accepted from staff and marked late.',
  })
  @IsServiceDate()
  serviceDate: string;
}
