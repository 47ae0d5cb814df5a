import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { CapacityController } from './capacity.controller.js';
import { CapacityService } from './capacity.service.js';
import { DemandController } from './demand.controller.js';
import { DemandService } from './demand.service.js';
import { ReportingRules } from './reporting-rules.js';

@Module({
  imports: [OrganizationsModule],
  controllers: [DemandController, CapacityController],
  providers: [DemandService, CapacityService, ReportingRules],
})
export class ReportsModule {}
