import { ApiProperty } from '@nestjs/swagger';
import { PageMetaView } from '../common/pagination.js';

export class DemandLineView {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: null, nullable: true, type: Number }) statedQuantity: number | null;
  @ApiProperty({ example: 100 }) stockOnHand: number;
  @ApiProperty({ example: 660, description: 'Units allocation uses: stated, or ceil(headcount × norm) − stock, never below 0' }) need: number;
}

class ReportBaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) zoneId: string;
  @ApiProperty({ example: '2026-02-25' }) serviceDate: string;
  @ApiProperty({ example: 2, description: 'Reposting adds a version; the latest counts' }) version: number;
  @ApiProperty({ format: 'uuid' }) submittedBy: string;
  @ApiProperty() submittedAt: Date;
  @ApiProperty({ description: 'Posted by staff after the cutoff' }) late: boolean;
}

export class DemandReportView extends ReportBaseView {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ example: 380 }) headcount: number;
  @ApiProperty({ type: [DemandLineView] }) lines: DemandLineView[];
}

export class CapacityLineView {
  @ApiProperty({ format: 'uuid' }) productId: string;
  @ApiProperty({ example: 'MASK-MED' }) productCode: string;
  @ApiProperty({ example: 20000 }) quantity: number;
}

export class CapacityReportView extends ReportBaseView {
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ type: [CapacityLineView] }) lines: CapacityLineView[];
}

export class DemandReportPageView extends PageMetaView {
  @ApiProperty({ type: [DemandReportView] }) items: DemandReportView[];
}

export class CapacityReportPageView extends PageMetaView {
  @ApiProperty({ type: [CapacityReportView] }) items: CapacityReportView[];
}
