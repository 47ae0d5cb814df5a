import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { type Organization } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/param.pipes.js';
import { CreateEnterpriseDto } from './dto/create-enterprise.dto.js';
import { CreateSupplierDto } from './dto/create-supplier.dto.js';
import { ListOrganizationsQuery } from './dto/list-organizations.query.js';
import { PickupWindowsDto } from './dto/pickup-windows.dto.js';
import { UpdateEnterpriseDto, UpdateSupplierDto } from './dto/update-organization.dto.js';
import { OrganizationPageView, OrganizationView } from './organization.view.js';
import { OrganizationsService } from './organizations.service.js';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller()
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post('zones/:zoneId/enterprises')
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiOperation({ summary: 'Register an enterprise' })
  async registerEnterprise(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: CreateEnterpriseDto): Promise<Organization> {
    return withoutSecret(await this.organizations.registerEnterprise(p, zoneId, dto));
  }

  @Post('zones/:zoneId/suppliers')
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiOperation({ summary: 'Register a supplier' })
  async registerSupplier(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() dto: CreateSupplierDto): Promise<Organization> {
    return withoutSecret(await this.organizations.registerSupplier(p, zoneId, dto));
  }

  @Get('zones/:zoneId/organizations')
  @Roles(...STAFF)
  @ApiOkResponse({ type: OrganizationPageView })
  @ApiOperation({ summary: 'Find a zone’s organizations' })
  async listOrganizations(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Query() q: ListOrganizationsQuery): Promise<Page<Organization>> {
    return this.organizations.list(p, zoneId, q);
  }

  @Get('organizations/:organizationId')
  @ApiOkResponse({ type: OrganizationView, description: 'Members read their own organization; coordinators their zone’s' })
  @ApiOperation({ summary: 'Read an organization' })
  async getOrganization(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string): Promise<Organization> {
    return this.organizations.get(p, id);
  }

  @Patch('enterprises/:enterpriseId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: OrganizationView })
  @ApiOperation({ summary: 'Change an enterprise' })
  async updateEnterprise(@CurrentPrincipal() p: Principal, @Param('enterpriseId', UuidParam) id: string, @Body() dto: UpdateEnterpriseDto): Promise<Organization> {
    return this.organizations.updateEnterprise(p, id, dto);
  }

  @Patch('suppliers/:supplierId')
  @Roles(...STAFF)
  @ApiOkResponse({ type: OrganizationView })
  @ApiOperation({ summary: 'Change a supplier' })
  async updateSupplier(@CurrentPrincipal() p: Principal, @Param('supplierId', UuidParam) id: string, @Body() dto: UpdateSupplierDto): Promise<Organization> {
    return this.organizations.updateSupplier(p, id, dto);
  }

  @Put('suppliers/:supplierId/pickup-windows')
  @Roles(Role.Supplier, ...STAFF)
  @ApiOkResponse({ type: OrganizationView })
  @ApiOperation({ summary: 'Replace a supplier’s pickup windows' })
  async setPickupWindows(@CurrentPrincipal() p: Principal, @Param('supplierId', UuidParam) id: string, @Body() dto: PickupWindowsDto): Promise<Organization> {
    return this.organizations.setPickupWindows(p, id, dto);
  }
}

/** A just-created organization carries webhookSecret (null); the secret is only ever shown by PUT /organizations/{id}/webhook. */
function withoutSecret(org: Organization): Organization {
  const { webhookSecret: _secret, ...view } = org;
  return view as Organization;
}
