import { applyDecorators, Body, Controller, Param, Post, Query, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OrganizationKind, REPORT_KINDS, type ReportKindName } from '#domain';
import { Roles, STAFF } from '../common/auth/decorators.js';
import { CurrentPrincipal, type Principal } from '../common/auth/principal.js';
import { UuidParam } from '../common/param.pipes.js';
import { MAX_IMPORT_SIZE } from './csv-table.js';
import { ImportQuery } from './dto/import-query.dto.js';
import { ImportSummaryView, OrganizationImportView } from './import.views.js';
import { FILE_FIELD } from './csv-upload.middleware.js';
import { CsvUpload } from './csv-upload.js';
import { ImportsService } from './imports.service.js';

const FILE_RULES =
  `The charset is the \`charset=\` of Content-Type if given (utf-8, gbk, gb2312, gb18030), else UTF-8 when the file starts with a UTF-8 BOM or is valid UTF-8, else GB18030 ` +
  `(what Excel saves as CSV on Chinese Windows). Comma-separated, header row first; ` +
  `headers in English or Chinese, in any order, matched ignoring case, spaces, underscores and hyphens (a bilingual header such as \`统一社会信用代码 creditCode\` works); ` +
  `note columns (备注, note) are allowed and ignored. The file may be up to ${MAX_IMPORT_SIZE} (413 beyond); there is no row limit. ` +
  `If any row is bad the answer is 422 IMPORT_ROWS_INVALID listing each problem as \`row N: column\` (header = row 1, as a spreadsheet numbers rows) and nothing is written.`;

const COMMON_RULES =
  `${FILE_RULES} Name columns (企业名称, 供应商名称, 产品名称, name) are ignored too. Every row is checked as the single-report API checks a report. ` +
  `Otherwise one new report version per organization is written in one transaction.`;

/** How a file may be sent; describeApi gives the multipart form its one `file` field. */
const FILE_MEDIA = ['text/csv', 'multipart/form-data'];

/** One import route: a text/csv body described as `file` says, answered with the import's summary. */
const ImportRoute = (kind: ReportKindName, file: { description: string; example: string }) =>
  applyDecorators(
    Post(kind),
    ApiConsumes(...FILE_MEDIA),
    ApiBody({ description: `${file.description} ${COMMON_RULES}`, schema: { type: 'string', example: file.example } }),
    ApiCreatedResponse({
      type: ImportSummaryView,
      description: `Imported: one new ${kind} report version per ${REPORT_KINDS[kind].organizationKind === OrganizationKind.Enterprise ? 'enterprise' : 'supplier'}`,
    }),
    ApiResponse({ status: 413, description: `The file is larger than ${MAX_IMPORT_SIZE}` }),
    ApiResponse({ status: 415, description: 'The body is neither text/csv nor multipart/form-data' }),
  );

const DEMAND_FILE = {
  description:
    'One row per (enterprise, product): `creditCode,headcount,productCode,statedQuantity,stockOnHand` or ' +
    '`统一社会信用代码,在岗人数,产品编码,申报数量,库存` (在岗人数 may also be 返岗员工数). statedQuantity and stockOnHand may be blank ' +
    '(need = ceil(headcount × norm) − stock) and their columns may be left out; headcount is the same on every row of an enterprise ' +
    '(it may be left blank after its first row).',
  example: 'creditCode,headcount,productCode,statedQuantity,stockOnHand\n91320400MA00000017,120,MASK-MED,,40\n91320400MA00000017,,SANITIZER-500,12,\n',
};

const ORGANIZATION_FILE = {
  description:
    'One row per organization, keyed by its unified social credit code: `creditCode,kind,name,address,latitude,longitude,contactName,contactPhone` ' +
    '(`统一社会信用代码,类型,名称,地址,纬度,经度,联系人,联系电话`), kind enterprise/企业 or supplier/供应商; enterprises add `registeredEmployees,priorityCategory,aboveScale` ' +
    '(`登记员工数,优先类别,规模以上`; the category as its code or Chinese name, 规模以上 是/否), suppliers `pickupWindows,pickupSiteAddress,slotMinutes,vehiclesPerSlot` ' +
    '(`取货时段,取货地址,时段分钟数,每时段车辆数`; windows as `08:00-12:00;14:00-17:00`). A code new to the API registers the organization in this zone with ' +
    'every field its registration requires; a code of this zone updates it, a blank cell keeping its value; a code of another zone, a code twice, or the other kind is a row problem. ' +
    'Every row is checked as registration checks it. Otherwise every organization is created or updated in one transaction with one audit entry.',
  example:
    '统一社会信用代码,类型,名称,地址,纬度,经度,联系人,联系电话,登记员工数,优先类别,取货时段\n' +
    '91320400MA00000017,企业,常州恒源精密机械有限公司,常州经开区长帆路8号,31.7456,120.0523,王芳,0519-88886666,420,规上企业,\n' +
    '91320400MA0000002X,供应商,常州康护医疗用品有限公司,常州武进区康护路1号,31.70,120.01,李强,0519-88887777,,,08:00-12:00;14:00-17:00\n',
};

const CAPACITY_FILE = {
  description: 'One row per (supplier, product): `creditCode,productCode,quantity` or `统一社会信用代码,产品编码,可供数量`.',
  example: '统一社会信用代码,产品编码,可供数量\n91320400MA0000002X,MASK-MED,20000\n',
};

/** The file, as CsvUploadMiddleware read it from a text/csv body or a multipart/form-data upload; any other body is 415. */
function csvFile(body: unknown): CsvUpload {
  if (body instanceof CsvUpload) return body;
  throw new UnsupportedMediaTypeException(`Send the file as the request body with Content-Type: text/csv, or as the field "${FILE_FIELD}" of a multipart/form-data upload`);
}

@ApiTags('imports')
@ApiBearerAuth()
@Roles(...STAFF)
@Controller('zones/:zoneId/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @ImportRoute('demand', DEMAND_FILE)
  @ApiOperation({ summary: 'Import a zone’s demand reports from CSV' })
  async importDemand(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Query() q: ImportQuery, @Body() body: unknown): Promise<ImportSummaryView> {
    return this.imports.importFile('demand', p, zoneId, q.serviceDate, csvFile(body), q.mode);
  }

  @ImportRoute('capacity', CAPACITY_FILE)
  @ApiOperation({ summary: 'Import a zone’s capacity reports from CSV' })
  async importCapacity(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Query() q: ImportQuery, @Body() body: unknown): Promise<ImportSummaryView> {
    return this.imports.importFile('capacity', p, zoneId, q.serviceDate, csvFile(body), q.mode);
  }

  @Post('organizations')
  @ApiConsumes(...FILE_MEDIA)
  @ApiBody({ description: `${ORGANIZATION_FILE.description} ${FILE_RULES}`, schema: { type: 'string', example: ORGANIZATION_FILE.example } })
  @ApiCreatedResponse({ type: OrganizationImportView, description: 'Imported: the organizations created, updated and left unchanged' })
  @ApiResponse({ status: 413, description: `The file is larger than ${MAX_IMPORT_SIZE}` })
  @ApiResponse({ status: 415, description: 'The body is neither text/csv nor multipart/form-data' })
  @ApiOperation({ summary: 'Import a zone’s organizations from CSV' })
  async importOrganizations(@CurrentPrincipal() p: Principal, @Param('zoneId', UuidParam) zoneId: string, @Body() body: unknown): Promise<OrganizationImportView> {
    return this.imports.importOrganizations(p, zoneId, csvFile(body));
  }
}
