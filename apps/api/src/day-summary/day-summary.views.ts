import { ApiProperty } from '@nestjs/swagger';

export class ProductDayView {
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: '一次性医用口罩' }) nameZh: string;
  @ApiProperty({ example: 'piece' }) unit: string;
  @ApiProperty({ example: 80000, description: 'Need derived as headcount × norm − stock' }) derivedDemand: number;
  @ApiProperty({ example: 30000, description: 'Need stated by enterprises' }) statedDemand: number;
  @ApiProperty({ example: 110000 }) totalDemand: number;
  @ApiProperty({ example: 77000 }) capacity: number;
  @ApiProperty({ example: -33000, description: 'capacity − totalDemand; negative means short' }) balance: number;
  @ApiProperty({ example: 0.7, nullable: true, type: Number, description: 'capacity / totalDemand, capped at 1; null when nobody needs it' }) coverage: number | null;
}

export class MissingReporterView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) priorityCategory: string | null;
}

export class ReportingStatusView {
  @ApiProperty({ example: 3120 }) registered: number;
  @ApiProperty({ example: 3002 }) reported: number;
  @ApiProperty({ example: 118 }) missingCount: number;
  @ApiProperty({ type: [MissingReporterView], description: 'Who has not reported, by name; at most 500' }) missing: MissingReporterView[];
}

export class DaySummaryView {
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: '2026-02-25' }) serviceDate: string;
  @ApiProperty({ description: 'The reporting cutoff instant for this date (UTC; the zone’s cutoffTime on the day before, in timeZone)' }) cutoffAt: Date;
  @ApiProperty({ example: 'Asia/Shanghai', description: 'The zone’s IANA time zone, in which serviceDate and the cutoff are local' }) timeZone: string;
  @ApiProperty({ example: 412000 }) headcount: number;
  @ApiProperty({ type: [ProductDayView] }) products: ProductDayView[];
  @ApiProperty({ type: ReportingStatusView }) enterprises: ReportingStatusView;
  @ApiProperty({ type: ReportingStatusView }) suppliers: ReportingStatusView;
}
