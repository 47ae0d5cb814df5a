import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { type AuditEntry } from '#store';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/param.pipes.js';
import { AuditPageView, CredentialPageView, CredentialView, IssuedCredentialView, MeView } from './account.views.js';
import { AccountsService } from './accounts.service.js';
import { CreateUserDto, IssueCredentialDto } from './dto/create-user.dto.js';
import { ListAuditQuery } from './dto/list-audit.query.js';
import { ListCredentialsQuery } from './dto/list-credentials.query.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get('me')
  @ApiOkResponse({ type: MeView })
  @ApiOperation({ summary: 'Who is calling' })
  getMe(@CurrentPrincipal() p: Principal): MeView {
    return p;
  }

  @Post('users')
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: IssuedCredentialView, description: 'The token is in the response once' })
  @ApiOperation({ summary: 'Create an admin or a coordinator' })
  async createUser(@CurrentPrincipal() p: Principal, @Body() dto: CreateUserDto): Promise<IssuedCredentialView> {
    return this.accounts.createStaff(p, dto);
  }

  @Post('organizations/:organizationId/credentials')
  @Roles(...STAFF)
  @ApiCreatedResponse({ type: IssuedCredentialView, description: 'A member credential for the organization; the token is in the response once' })
  @ApiOperation({ summary: 'Issue a member credential for an organization' })
  async issueCredential(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string, @Body() dto: IssueCredentialDto): Promise<IssuedCredentialView> {
    return this.accounts.issueForOrganization(p, id, dto);
  }

  @Get('credentials')
  @Roles(...STAFF)
  @ApiOkResponse({ type: CredentialPageView, description: 'Admins: every credential; coordinators: their zone’s organizations’ member credentials. Never the token' })
  @ApiOperation({ summary: 'List credentials' })
  async listCredentials(@CurrentPrincipal() p: Principal, @Query() q: ListCredentialsQuery): Promise<Page<CredentialView>> {
    return this.accounts.listCredentials(p, q);
  }

  @Post('credentials/:credentialId/revoke')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: CredentialView, description: 'Revoked at once (audited); revoking again answers the same. 404 outside the caller’s reach' })
  @ApiOperation({ summary: 'Revoke a credential' })
  async revokeCredential(@CurrentPrincipal() p: Principal, @Param('credentialId', UuidParam) id: string): Promise<CredentialView> {
    return this.accounts.revokeCredential(p, id);
  }

  @Get('audit-log')
  @Roles(...STAFF)
  @ApiOkResponse({ type: AuditPageView, description: 'Read-only: the API has no way to change or delete entries. Coordinators read only their zone’s entries' })
  @ApiOperation({ summary: 'Read the audit log' })
  async listAuditEntries(@CurrentPrincipal() p: Principal, @Query() q: ListAuditQuery): Promise<Page<AuditEntry>> {
    // A coordinator's query is scoped to their zone whatever zoneId it names.
    return this.accounts.auditLog(p.role === Role.Admin ? q : { ...q, zoneId: p.zoneId ?? undefined });
  }
}
