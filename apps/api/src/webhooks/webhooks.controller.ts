import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WebhookDelivery } from '#store';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { UuidParam } from '../common/param.pipes.js';
import { SetWebhookDto } from './dto/set-webhook.dto.js';
import { WebhookDeliveryPageView, WebhookView } from './webhook.views.js';
import { WebhooksService } from './webhooks.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Put('organizations/:organizationId/webhook')
  @ApiOkResponse({ type: WebhookView, description: 'Sets the URL and issues a new signing secret, shown once. 422 WEBHOOK_TARGET_NOT_ALLOWED for http (unless configured) or an internal address' })
  @ApiOperation({ summary: 'Set an organization’s webhook' })
  async setWebhook(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string, @Body() dto: SetWebhookDto): Promise<WebhookView> {
    return this.webhooks.setWebhook(p, id, dto.url);
  }

  @Get('organizations/:organizationId/webhook-deliveries')
  @ApiOkResponse({ type: WebhookDeliveryPageView, description: 'The deliveries, newest first, with their attempts and a generic outcome' })
  @ApiOperation({ summary: 'List an organization’s webhook deliveries' })
  async listWebhookDeliveries(@CurrentPrincipal() p: Principal, @Param('organizationId', UuidParam) id: string, @Query() q: PageQuery): Promise<Page<WebhookDelivery>> {
    return this.webhooks.deliveries(p, id, q);
  }
}
