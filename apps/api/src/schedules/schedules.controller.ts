import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { ConfirmPickupDto } from './dto/confirm-pickup.dto.js';
import { ConfirmedPickupView, EnterpriseScheduleView, SupplierScheduleView } from './schedule.views.js';
import { SchedulesService } from './schedules.service.js';

@ApiTags('schedules')
@ApiBearerAuth()
@Controller()
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get('enterprises/:enterpriseId/schedules/:serviceDate')
  @Roles(Role.Enterprise, ...STAFF)
  @ApiOkResponse({ type: EnterpriseScheduleView, description: 'Where and when to pick up, with codes; 404 SCHEDULE_NOT_PUBLISHED before publication' })
  @ApiOperation({ summary: 'An enterprise’s published schedule for a date' })
  async getEnterpriseSchedule(
    @CurrentPrincipal() p: Principal,
    @Param('enterpriseId', UuidParam) id: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
  ): Promise<EnterpriseScheduleView> {
    return this.schedules.enterpriseSchedule(p, id, serviceDate);
  }

  @Get('suppliers/:supplierId/pickups/:serviceDate')
  @Roles(Role.Supplier, ...STAFF)
  @ApiOkResponse({ type: SupplierScheduleView, description: 'Who picks up what, slot by slot' })
  @ApiOperation({ summary: 'A supplier’s pickups for a date, slot by slot' })
  async getSupplierPickups(
    @CurrentPrincipal() p: Principal,
    @Param('supplierId', UuidParam) id: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
  ): Promise<SupplierScheduleView> {
    return this.schedules.supplierSchedule(p, id, serviceDate);
  }

  @Post('suppliers/:supplierId/pickups/confirm')
  @HttpCode(200)
  @Roles(Role.Supplier, ...STAFF)
  @ApiOkResponse({ type: ConfirmedPickupView, description: 'Idempotent: confirming again answers the same' })
  @ApiOperation({ summary: 'Confirm a pickup at the gate' })
  async confirmPickup(@CurrentPrincipal() p: Principal, @Param('supplierId', UuidParam) id: string, @Body() dto: ConfirmPickupDto): Promise<ConfirmedPickupView> {
    return this.schedules.confirm(p, id, dto.pickupCode);
  }
}
