import { Body, Controller, Get, Header, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, problemTextZh, Role } from '#domain';
import { Public, Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { ShareSlipDto } from './dto/share-slip.dto.js';
import { SharedLinkView, ShareLinkView } from './share-link.views.js';
import { ShareLinksService } from './share-links.service.js';
import { escapeHtml, SLIP_CSP } from './slip.js';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/** The origin links are made for: the host the caller reached (the API does not trust proxy headers). */
const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}`;

/** The page a browser gets for a link that no longer works: both languages, since its reader may be anyone. */
function refusalPage(err: DomainError): string {
  const zh = problemTextZh(err.code, err.params).detail;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>链接不可用 Link unavailable</title>
<style>body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:48px auto;max-width:560px;padding:0 16px;color:#111}</style></head>
<body><h1>链接不可用 <small>Link unavailable</small></h1><p id="zh">${escapeHtml(zh)}</p><p id="en" lang="en">${escapeHtml(err.message)}</p><p><small>${escapeHtml(err.code)}</small></p></body></html>`;
}

@ApiTags('share links')
@Controller()
export class ShareLinksController {
  constructor(private readonly links: ShareLinksService) {}

  @Post('enterprises/:enterpriseId/schedules/:serviceDate/slips/:appointmentId/links')
  @Roles(Role.Enterprise, ...STAFF)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Share one pickup slip by a link that works without a credential',
    description:
      'A read-only, expiring link to the slip (HTML, as GET …/slips/{appointmentId} renders it) and to an SVG QR code of the link, for a driver. ' +
      'The enterprise or its zone’s staff, for a pickup of its published schedule; 404 otherwise. The URL is shown once; revoke it with POST /share-links/{id}/revoke.',
  })
  @ApiCreatedResponse({ type: SharedLinkView })
  createSlipLink(
    @CurrentPrincipal() p: Principal,
    @Param('enterpriseId', UuidParam) enterpriseId: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
    @Param('appointmentId', UuidParam) appointmentId: string,
    @Body() dto: ShareSlipDto,
    @Req() req: Request,
  ): Promise<SharedLinkView> {
    return this.links.shareSlip(p, enterpriseId, serviceDate, appointmentId, dto.validForHours, baseUrl(req));
  }

  @Post('enterprises/:enterpriseId/calendar-feed')
  @Roles(Role.Enterprise, ...STAFF)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'A calendar subscription URL of the enterprise’s pickups (.ics)',
    description:
      'An iCalendar feed a phone or desktop calendar subscribes to without a credential: one event per published pickup from a week ago to two weeks ahead, ' +
      'in the zone’s time, at the maker’s pickup site, with the products and pickup code. A new URL revokes the previous one.',
  })
  @ApiCreatedResponse({ type: SharedLinkView })
  createCalendarFeed(@CurrentPrincipal() p: Principal, @Param('enterpriseId', UuidParam) enterpriseId: string, @Req() req: Request): Promise<SharedLinkView> {
    return this.links.shareCalendar(p, enterpriseId, baseUrl(req));
  }

  @Post('share-links/:linkId/revoke')
  @HttpCode(200)
  @Roles(Role.Enterprise, ...STAFF)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke a share link', description: 'The link answers 410 from now on. The enterprise or its zone’s staff; 404 for anyone else. Revoking again changes nothing.' })
  @ApiOkResponse({ type: ShareLinkView })
  revokeShareLink(@CurrentPrincipal() p: Principal, @Param('linkId', UuidParam) linkId: string): Promise<ShareLinkView> {
    return this.links.revoke(p, linkId);
  }

  @Get('s/:secret')
  @Public()
  @ApiOperation({
    summary: 'Open a shared pickup slip (no credential)',
    description:
      'The slip page; 404 for an unknown link or a pickup no longer published, 410 when revoked or expired: an HTML page in Chinese and English for a browser ' +
      '(Accept preferring text/html), problem+json otherwise.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The slip page', content: { 'text/html': { schema: { type: 'string' } } } })
  async openSharedSlip(@Param('secret') secret: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Content-Security-Policy', SLIP_CSP);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Robots-Tag', 'noindex');
    try {
      res.status(200).type('html').send(await this.links.openSlip(secret));
    } catch (err) {
      const browser = req.accepts(['application/problem+json', 'application/json', 'html']) === 'html';
      if (!browser || !(err instanceof DomainError) || (err.kind !== 'not_found' && err.kind !== 'gone')) throw err;
      res.status(err.kind === 'gone' ? 410 : 404).type('html').send(refusalPage(err));
    }
  }

  @Get('s/:secret/qr.svg')
  @Public()
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'The QR code (SVG) of a shared slip’s link', description: '404 for an unknown link, 410 when revoked or expired.' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG image', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  getSharedSlipQr(@Param('secret') secret: string, @Req() req: Request): Promise<string> {
    return this.links.slipQr(secret, `${baseUrl(req)}/s/${secret}`);
  }

  @Get('calendars/:secret.ics')
  @Public()
  @Header('Content-Type', CALENDAR_TYPE)
  @Header('Cache-Control', 'private, max-age=300')
  @ApiOperation({ summary: 'An enterprise’s pickups as iCalendar (subscription URL, no credential)', description: '404 for an unknown link, 410 when revoked.' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'VCALENDAR with one VEVENT per pickup (UID stable per slip)', content: { 'text/calendar': { schema: { type: 'string' } } } })
  getPickupCalendar(@Param('secret') secret: string): Promise<string> {
    return this.links.openCalendar(secret);
  }
}
