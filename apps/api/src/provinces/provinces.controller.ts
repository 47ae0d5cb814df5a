import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import type { ProvinceNight, ProvinceWithZones } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import type { Page } from '../common/pagination.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { CreateProvinceDto, NightsQuery, StartNightDto } from './dto/province.dto.js';
import { ProvinceNightPageView, ProvinceNightView, ProvinceView } from './province.view.js';
import { ProvincesService } from './provinces.service.js';

@ApiTags('provinces')
@ApiBearerAuth()
@Roles(...STAFF)
@Controller('provinces')
export class ProvincesController {
  constructor(private readonly provinces: ProvincesService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: ProvinceView, description: 'Registered, with its daily scheduler at runTime' })
  @ApiOperation({ summary: 'Register a province' })
  createProvince(@CurrentPrincipal() p: Principal, @Body() dto: CreateProvinceDto): Promise<ProvinceWithZones> {
    return this.provinces.create(p, dto);
  }

  @Get()
  @ApiOkResponse({ type: [ProvinceView], description: 'All provinces for admins; the one holding the coordinator’s zone otherwise' })
  @ApiOperation({ summary: 'List provinces' })
  listProvinces(@CurrentPrincipal() p: Principal): Promise<ProvinceWithZones[]> {
    return this.provinces.list(p);
  }

  @Get(':provinceId')
  @ApiOkResponse({ type: ProvinceView })
  @ApiOperation({ summary: 'Read a province' })
  getProvince(@CurrentPrincipal() p: Principal, @Param('provinceId', UuidParam) provinceId: string): Promise<ProvinceWithZones> {
    return this.provinces.get(p, provinceId);
  }

  @Post(':provinceId/nights')
  @Roles(Role.Admin)
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ProvinceNightView, description: 'Each zone’s scheduled run is queued as one flow; the summary is recorded when all have finished. Starting a date again returns the same night.' })
  @ApiOperation({ summary: 'Start a province’s night now' })
  startNight(@CurrentPrincipal() p: Principal, @Param('provinceId', UuidParam) provinceId: string, @Body() dto: StartNightDto): Promise<ProvinceNight> {
    return this.provinces.startNight(p, provinceId, dto.serviceDate);
  }

  @Get(':provinceId/nights')
  @ApiOkResponse({ type: ProvinceNightPageView, description: 'Latest service date first' })
  @ApiOperation({ summary: 'List a province’s nights' })
  listNights(@CurrentPrincipal() p: Principal, @Param('provinceId', UuidParam) provinceId: string, @Query() q: NightsQuery): Promise<Page<ProvinceNight>> {
    return this.provinces.nights(p, provinceId, q);
  }

  @Get(':provinceId/nights/:serviceDate')
  @ApiOkResponse({ type: ProvinceNightView, description: 'The night of the date, with its per-zone results and totals once done' })
  @ApiOperation({ summary: 'Read a province’s night' })
  getNight(@CurrentPrincipal() p: Principal, @Param('provinceId', UuidParam) provinceId: string, @Param('serviceDate', ServiceDateParam) serviceDate: string): Promise<ProvinceNight> {
    return this.provinces.night(p, provinceId, serviceDate);
  }
}
