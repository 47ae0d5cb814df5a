import { Module } from '@nestjs/common';
import { OverrideStore, RunStore } from '#store';
import { RunsController } from './runs.controller.js';
import { RunsService } from './runs.service.js';

@Module({ controllers: [RunsController], providers: [RunsService, RunStore, OverrideStore], exports: [RunsService] })
export class RunsModule {}
