import { Module } from '@nestjs/common';
import { ProvinceStore } from '#store';
import { ProvincesController } from './provinces.controller.js';
import { ProvincesService } from './provinces.service.js';

@Module({ controllers: [ProvincesController], providers: [ProvincesService, ProvinceStore] })
export class ProvincesModule {}
