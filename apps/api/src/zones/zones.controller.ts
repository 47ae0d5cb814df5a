import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { UuidParam } from '../common/param.pipes.js';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { Zone } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ApiProblems } from '../common/openapi.js';
import { CreateZoneDto } from './dto/create-zone.dto.js';
import { UpdateZoneDto } from './dto/update-zone.dto.js';
import { ZoneView } from './zone.view.js';
import { ZonesService } from './zones.service.js';

@ApiTags('zones')
@ApiBearerAuth()
@ApiProblems()
@Controller('zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: ZoneView })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateZoneDto): Promise<Zone> {
    return this.zones.create(p, dto);
  }

  @Get()
  @ApiOkResponse({ type: [ZoneView], description: 'All zones for admins; the caller’s own zone otherwise' })
  async list(@CurrentPrincipal() p: Principal): Promise<Zone[]> {
    return this.zones.list(p);
  }

  @Get(':zoneId')
  @ApiOkResponse({ type: ZoneView })
  async get(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string): Promise<Zone> {
    return this.zones.get(p, zoneId);
  }

  @Patch(':zoneId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ZoneView })
  async update(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: UpdateZoneDto): Promise<Zone> {
    return this.zones.update(p, zoneId, dto);
  }
}
