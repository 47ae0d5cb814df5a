import { Module } from '@nestjs/common';
import { OrganizationStore, ReportLedger } from '#store';
import { ReportingRules } from '../reports/reporting-rules.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';

/** CSV bulk import of demand and capacity. The text/csv body parser is registered in configure-app.ts. */
@Module({ controllers: [ImportsController], providers: [ImportsService, ReportingRules, ReportLedger, OrganizationStore] })
export class ImportsModule {}
