import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, QUEUES, SystemClock } from '#domain';
import { AppConfig, dataSourceOptions, JOB_FLOWS, JobCatalogue, PauseMidWriteHooks, poolGuardProvider, ProvinceNightFlow, ProvinceStore, redisConnection, ReportLedger, ReportPartitions, ReportReminders, RunInputsStore, RunStore, RunWriter, WebhookStore, WriteHooks, ZoneStore } from '#store';
import { AllocationRunner } from './allocation/allocation-runner.js';
import { AllocationProcessor } from './allocation/allocation.processor.js';
import { RunSnapshotReader } from './allocation/run-snapshot.js';
import { FAULT_PAUSE_MID_WRITE_MS } from './worker-tuning.js';
import { ZoneSchedulers } from './allocation/zone-schedulers.js';
import { WebhookProcessor } from './webhooks/webhook.processor.js';
import { MaintenanceProcessor } from './maintenance/maintenance.processor.js';
import { ProvinceNightService } from './province/province-night.service.js';
import { ProvinceProcessor } from './province/province.processor.js';
import { jobLogContextProvider } from './observability/job-log-context.js';

/** The worker: its own Nest application, consuming BullMQ queues on Redis and writing to PostgreSQL. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL)),
        BullModule.forRoot({ prefix: config.QUEUE_PREFIX, connection: redisConnection(config.REDIS_URL, 'worker') }),
        BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
        BullModule.registerFlowProducer({ name: JOB_FLOWS }),
      ],
      providers: [
        poolGuardProvider,
        { provide: AppConfig, useValue: config },
        { provide: Clock, useClass: SystemClock },
        { provide: WriteHooks, useFactory: () => (FAULT_PAUSE_MID_WRITE_MS > 0 ? new PauseMidWriteHooks(FAULT_PAUSE_MID_WRITE_MS) : new WriteHooks()) },
        RunSnapshotReader,
        ReportLedger,
        RunInputsStore,
        ReportPartitions,
        WebhookStore,
        RunWriter,
        RunStore,
        ReportReminders,
        AllocationRunner,
        AllocationProcessor,
        WebhookProcessor,
        ProvinceNightService,
        ProvinceProcessor,
        MaintenanceProcessor,
        jobLogContextProvider,
        ZoneSchedulers,
        JobCatalogue,
        ProvinceNightFlow,
        ProvinceStore,
        ZoneStore,
      ],
      exports: [AppConfig],
    };
  }
}
