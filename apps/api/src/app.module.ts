import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, dataSourceOptions, poolGuardProvider } from '#store';
import { AccountsModule } from './accounts/accounts.module.js';
import { AuthGuard } from './common/auth/auth.guard.js';
import { CommonModule } from './common/common.module.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { createValidationPipe } from './common/validation.js';
import { DaySummaryModule } from './day-summary/day-summary.module.js';
import { HealthModule } from './health/health.module.js';
import { RedisModule } from './infra/redis.module.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { ProductsModule } from './products/products.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { ZonesModule } from './zones/zones.module.js';
import { QueuesModule } from './infra/queues.module.js';
import { RunsModule } from './runs/runs.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { ImportsModule } from './imports/imports.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { ProvincesModule } from './provinces/provinces.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { ConsoleModule } from './console/console.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL)),
        RedisModule,
        RateLimitModule,
        IdempotencyModule,
        QueuesModule,
        CommonModule,
        HealthModule,
        ZonesModule,
        ProductsModule,
        OrganizationsModule,
        WebhooksModule,
        AccountsModule,
        ReportsModule,
        DaySummaryModule,
        RunsModule,
        ProvincesModule,
        SchedulesModule,
        ImportsModule,
        ExportsModule,
        ObservabilityModule,
        DashboardModule,
        SessionsModule,
        ConsoleModule,
      ],
      providers: [
        poolGuardProvider,
        { provide: AppConfig, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After authentication, so the limit is per credential.
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [AppConfig],
    };
  }
}
