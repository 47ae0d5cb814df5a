import { Module } from '@nestjs/common';
import { ScheduleStore, ZoneStore } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';

@Module({ imports: [OrganizationsModule], controllers: [SchedulesController], providers: [SchedulesService, ScheduleStore, ZoneStore], exports: [SchedulesService] })
export class SchedulesModule {}
