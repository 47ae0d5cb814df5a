import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { UuidParam } from '../common/param.pipes.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { Zone } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { CreateZoneDto } from './dto/create-zone.dto.js';
import { UpdateZoneDto } from './dto/update-zone.dto.js';
import { ZoneView } from './zone.view.js';
import { ZonesService } from './zones.service.js';

@ApiTags('zones')
@ApiBearerAuth()
@Controller('zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post()
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: ZoneView })
  @ApiOperation({ summary: 'Create a zone' })
  async createZone(@CurrentPrincipal() p: Principal, @Body() dto: CreateZoneDto): Promise<Zone> {
    return this.zones.create(p, dto);
  }

  @Get()
  @ApiOkResponse({ type: [ZoneView], description: 'All zones for admins; the caller’s own zone otherwise' })
  @ApiOperation({ summary: 'List the zones the caller can see' })
  async listZones(@CurrentPrincipal() p: Principal): Promise<Zone[]> {
    return this.zones.list(p);
  }

  @Get(':zoneId')
  @ApiOkResponse({ type: ZoneView })
  @ApiOperation({ summary: 'Read a zone' })
  async getZone(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string): Promise<Zone> {
    return this.zones.get(p, zoneId);
  }

  @Patch(':zoneId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: ZoneView })
  @ApiOperation({ summary: 'Change a zone’s settings' })
  async updateZone(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: UpdateZoneDto): Promise<Zone> {
    return this.zones.update(p, zoneId, dto);
  }
}
