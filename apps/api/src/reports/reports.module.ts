import { Module } from '@nestjs/common';
import { ReportLedger } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { CapacityController, DemandController } from './report.controllers.js';
import { ReportingRules } from './reporting-rules.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [OrganizationsModule],
  controllers: [DemandController, CapacityController],
  providers: [ReportsService, ReportingRules, ReportLedger],
})
export class ReportsModule {}
