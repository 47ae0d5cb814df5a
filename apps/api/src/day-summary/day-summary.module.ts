import { Module } from '@nestjs/common';
import { CatalogueStore, ReportLedger } from '#store';
import { ZonesModule } from '../zones/zones.module.js';
import { DaySummaryController } from './day-summary.controller.js';
import { DaySummaryService } from './day-summary.service.js';

@Module({ imports: [ZonesModule], controllers: [DaySummaryController], providers: [DaySummaryService, ReportLedger, CatalogueStore] })
export class DaySummaryModule {}
