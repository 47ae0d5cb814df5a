import { applyDecorators, Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '#domain';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { ServiceDateParam, UuidParam } from '../common/param.pipes.js';
import { ExportsService, type Export } from './exports.service.js';
import { SLIP_CSP } from './slip.js';
import { SlipsService } from './slips.service.js';
import { CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from './table.js';

const CSV_MEDIA = 'text/csv';

const fileResponse = (media: string, description: string) =>
  applyDecorators(ApiProduces(media), ApiOkResponse({ description, content: { [media]: { schema: { type: 'string', format: 'binary' } } } }));

const SCHEDULE_DOC =
  'One row per allocation line: enterprise, credit code, supplier, pickup site, slot start and end (zone-local), product code and name, units, unit, packs, pickup code. ' +
  'For the zone’s coordinators and admins; any computed run (draft, published or superseded); 409 RUN_NOT_COMPUTED while queued or running, or if it failed.';
const SHORTAGE_DOC =
  'One row per (enterprise, product) left short: enterprise, credit code, priority category, tier, product, need, allocated, unmet, fill ratio and why short ' +
  '(from the run’s explanations), tier 1 first and lowest fill ratio first within a tier.';

function download(file: Export, extension: 'csv' | 'xlsx', body: Buffer): StreamableFile {
  return new StreamableFile(body, {
    type: extension === 'csv' ? CSV_TYPE : XLSX_TYPE,
    disposition: `attachment; filename="${file.filename}.${extension}"`,
    length: body.length,
  });
}

@ApiTags('exports')
@ApiBearerAuth()
@Controller()
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly slips: SlipsService,
  ) {}

  @Get('runs/:runId/exports/schedule.csv')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Pickup schedule of a run as CSV (UTF-8 with BOM, Chinese and English headers)', description: SCHEDULE_DOC })
  @fileResponse(CSV_MEDIA, 'CSV, UTF-8 with BOM; Content-Disposition names the file schedule_<date>_run<sequence>.csv')
  async exportScheduleCsv(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string): Promise<StreamableFile> {
    const file = await this.exports.schedule(p, runId);
    return download(file, 'csv', toCsv(file.table));
  }

  @Get('runs/:runId/exports/schedule.xlsx')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Pickup schedule of a run as an Excel workbook', description: SCHEDULE_DOC })
  @fileResponse(XLSX_TYPE, 'XLSX with one worksheet; Content-Disposition names the file schedule_<date>_run<sequence>.xlsx')
  async exportScheduleXlsx(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string): Promise<StreamableFile> {
    const file = await this.exports.schedule(p, runId);
    return download(file, 'xlsx', await toXlsx(file.table));
  }

  @Get('runs/:runId/exports/shortages.csv')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Shortage report of a run as CSV (UTF-8 with BOM, Chinese and English headers)', description: SHORTAGE_DOC })
  @fileResponse(CSV_MEDIA, 'CSV, UTF-8 with BOM; Content-Disposition names the file shortages_<date>_run<sequence>.csv')
  async exportShortagesCsv(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string): Promise<StreamableFile> {
    const file = await this.exports.shortages(p, runId);
    return download(file, 'csv', toCsv(file.table));
  }

  @Get('runs/:runId/exports/shortages.xlsx')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'Shortage report of a run as an Excel workbook', description: SHORTAGE_DOC })
  @fileResponse(XLSX_TYPE, 'XLSX with one worksheet (fill ratio formatted as a percentage)')
  async exportShortagesXlsx(@CurrentPrincipal() p: Principal, @Param('runId', UuidParam) runId: string): Promise<StreamableFile> {
    const file = await this.exports.shortages(p, runId);
    return download(file, 'xlsx', await toXlsx(file.table));
  }

  @Get('enterprises/:enterpriseId/schedules/:serviceDate/slips/:appointmentId')
  @Roles(Role.Enterprise, ...STAFF)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', SLIP_CSP)
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    summary: 'Printable pickup slip (HTML) with the QR code',
    description:
      'The enterprise’s slip for one pickup of its published schedule: enterprise, supplier, pickup site, slot (zone-local), lines, the pickup code in large type ' +
      'and an inline SVG QR code of the payload `PPE1|code|appointmentId|date`. For the enterprise itself and its zone’s staff; 404 for anyone else, before publication, ' +
      'and for appointments of superseded runs.',
  })
  @fileResponse('text/html', 'An HTML page to print')
  async getPickupSlip(
    @CurrentPrincipal() p: Principal,
    @Param('enterpriseId', UuidParam) enterpriseId: string,
    @Param('serviceDate', ServiceDateParam) serviceDate: string,
    @Param('appointmentId', UuidParam) appointmentId: string,
  ): Promise<string> {
    return this.slips.slip(p, enterpriseId, serviceDate, appointmentId);
  }
}
