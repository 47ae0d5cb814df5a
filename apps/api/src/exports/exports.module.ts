import { Module } from '@nestjs/common';
import { CatalogueStore, ExportStore, ShareLinkStore, ZoneStore } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';
import { ShareLinksController } from './share-links.controller.js';
import { ShareLinksService } from './share-links.service.js';
import { SlipsService } from './slips.service.js';

/** CSV/XLSX exports of a run's schedule and shortages, printable pickup slips, and the links that share slips and pickup calendars. */
@Module({
  imports: [RunsModule, SchedulesModule, OrganizationsModule],
  controllers: [ExportsController, ShareLinksController],
  providers: [ExportsService, SlipsService, ShareLinksService, ExportStore, ShareLinkStore, ZoneStore, CatalogueStore],
})
export class ExportsModule {}
