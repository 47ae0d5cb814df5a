import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { OrganizationStore, ReportLedger } from '#store';
import { ReportingRules } from '../reports/reporting-rules.js';
import { ImportsController } from './imports.controller.js';
import { ImportsService } from './imports.service.js';
import { CsvUploadMiddleware } from './csv-upload.middleware.js';

/**
 * CSV bulk import of organizations, demand and capacity. The file comes as a text/csv body or as a
 * multipart/form-data upload, read as it arrives by CsvUploadMiddleware.
 */
@Module({ controllers: [ImportsController], providers: [ImportsService, ReportingRules, ReportLedger, OrganizationStore] })
export class ImportsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsvUploadMiddleware).forRoutes(ImportsController);
  }
}
