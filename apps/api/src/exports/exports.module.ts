import { Module } from '@nestjs/common';
import { CatalogueStore, ExportStore, ZoneStore } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { SchedulesModule } from '../schedules/schedules.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';
import { SlipsService } from './slips.service.js';

/** CSV/XLSX exports of a run's schedule and shortages, and printable pickup slips. */
@Module({ imports: [RunsModule, SchedulesModule, OrganizationsModule], controllers: [ExportsController], providers: [ExportsService, SlipsService, ExportStore, ZoneStore, CatalogueStore] })
export class ExportsModule {}
