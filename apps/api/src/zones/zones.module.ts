import { Module } from '@nestjs/common';
import { ZoneStore } from '#store';
import { ZonesController } from './zones.controller.js';
import { ZonesService } from './zones.service.js';

@Module({ controllers: [ZonesController], providers: [ZonesService, ZoneStore], exports: [ZonesService] })
export class ZonesModule {}
