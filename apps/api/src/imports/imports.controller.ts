import { applyDecorators, Body, Controller, Headers, Param, Post, Query, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OrganizationKind, REPORT_KINDS, type ReportKindName } from '#domain';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { UuidParam } from '../common/param.pipes.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './csv-table.js';
import { ImportQuery } from './dto/import-query.dto.js';
import { ImportSummaryView } from './import.views.js';
import { ImportsService, type CsvFile } from './imports.service.js';

const COMMON_RULES =
  `UTF-8 (a BOM is fine; GBK/GB18030 is read too, or declare it with \`charset=\`), comma-separated, header row first; ` +
  `headers in English or Chinese, in any order, matched ignoring case, spaces, underscores and hyphens; ` +
  `name and note columns (企业名称, 供应商名称, 产品名称, 备注, name, note) are allowed and ignored. ` +
  `At most ${MAX_IMPORT_ROWS} data rows and ${MAX_IMPORT_BYTES}. Every row is checked as the single-report API checks a report; ` +
  `if any row is bad the answer is 422 IMPORT_ROWS_INVALID listing each problem as \`row N: column\` (header = row 1, as a spreadsheet numbers rows) and nothing is written. ` +
  `Otherwise one new report version per organization is written in one transaction.`;

/** One import route: a text/csv body described as `file` says, answered with the import's summary. */
const ImportRoute = (kind: ReportKindName, file: { description: string; example: string }) =>
  applyDecorators(
    Post(kind),
    ApiConsumes('text/csv'),
    ApiBody({ description: `${file.description} ${COMMON_RULES}`, schema: { type: 'string', example: file.example } }),
    ApiCreatedResponse({
      type: ImportSummaryView,
      description: `Imported: one new ${kind} report version per ${REPORT_KINDS[kind].organizationKind === OrganizationKind.Enterprise ? 'enterprise' : 'supplier'}`,
    }),
    ApiResponse({ status: 413, description: `The file is larger than ${MAX_IMPORT_BYTES}` }),
    ApiResponse({ status: 415, description: 'The body is not Content-Type: text/csv' }),
  );

const DEMAND_FILE = {
  description:
    'One row per (enterprise, product): `creditCode,headcount,productCode,statedQuantity,stockOnHand` or ' +
    '`统一社会信用代码,在岗人数,产品编码,申报数量,库存` (在岗人数 may also be 返岗员工数). statedQuantity and stockOnHand may be blank ' +
    '(need = ceil(headcount × norm) − stock) and their columns may be left out; headcount is the same on every row of an enterprise ' +
    '(it may be left blank after its first row).',
  example: 'creditCode,headcount,productCode,statedQuantity,stockOnHand\n91320400MA00000017,120,MASK-MED,,40\n91320400MA00000017,,SANITIZER-500,12,\n',
};

const CAPACITY_FILE = {
  description: 'One row per (supplier, product): `creditCode,productCode,quantity` or `统一社会信用代码,产品编码,可供数量`.',
  example: '统一社会信用代码,产品编码,可供数量\n91320400MA0000002X,MASK-MED,20000\n',
};

/** A text/csv body arrives as bytes (decoded by the service, which knows the charsets); anything else is 415. */
function csvBody(body: unknown, contentType: string | undefined): CsvFile {
  const [mediaType, ...params] = (contentType ?? '').split(';').map((s) => s.trim());
  if (mediaType.toLowerCase() !== 'text/csv') throw new UnsupportedMediaTypeException('Send the file as the request body with Content-Type: text/csv');
  const charset = params.map((p) => /^charset=(.+)$/i.exec(p)?.[1]?.replace(/"/g, '')).find(Boolean);
  return { bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0), charset };
}

@ApiTags('imports')
@ApiBearerAuth()
@Roles(...STAFF)
@Controller('zones/:zoneId/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @ImportRoute('demand', DEMAND_FILE)
  @ApiOperation({ summary: 'Import a zone’s demand reports from CSV' })
  async importDemand(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Query() q: ImportQuery, @Body() body: unknown, @Headers('content-type') contentType?: string): Promise<ImportSummaryView> {
    return this.imports.importFile('demand', p, zoneId, q.serviceDate, csvBody(body, contentType));
  }

  @ImportRoute('capacity', CAPACITY_FILE)
  @ApiOperation({ summary: 'Import a zone’s capacity reports from CSV' })
  async importCapacity(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Query() q: ImportQuery, @Body() body: unknown, @Headers('content-type') contentType?: string): Promise<ImportSummaryView> {
    return this.imports.importFile('capacity', p, zoneId, q.serviceDate, csvBody(body, contentType));
  }
}
