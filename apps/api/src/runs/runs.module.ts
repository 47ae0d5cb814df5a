import { Module } from '@nestjs/common';
import { JobCatalogue, OverrideStore, RunStore } from '#store';
import { RunsController } from './runs.controller.js';
import { RunsService } from './runs.service.js';

@Module({ controllers: [RunsController], providers: [RunsService, RunStore, OverrideStore, JobCatalogue], exports: [RunsService] })
export class RunsModule {}
