/**
 * Every problem `code` the API can answer, and its Chinese text. The codes are a contract (the web
 * console and integrators translate by them), so they live in one list: DomainError only takes a
 * code from it, and the API's problem filter answers in Chinese from `PROBLEM_TEXTS_ZH`.
 */
export const PROBLEM_CODES = [
  // Requests and authentication
  'VALIDATION_FAILED',
  'INVALID_INPUT',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'INVALID_TOKEN',
  'SESSION_EXPIRED',
  'CSRF_TOKEN_INVALID',
  'ROLE_NOT_ALLOWED',
  'TOO_MANY_AUTH_FAILURES',
  'TOO_MANY_REQUESTS',
  'IDEMPOTENCY_KEY_INVALID',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_FLIGHT',
  'DASHBOARD_READ_ONLY',
  // Infrastructure
  'SERVICE_UNAVAILABLE',
  'NOT_READY',
  'INTERNAL_ERROR',
  'CONFLICT',
  'REFERENCED',
  'RETRY',
  // Not found
  'NOT_FOUND',
  'ZONE_NOT_FOUND',
  'PROVINCE_NOT_FOUND',
  'PROVINCE_NIGHT_NOT_FOUND',
  'ORGANIZATION_NOT_FOUND',
  'PRODUCT_NOT_FOUND',
  'RUN_NOT_FOUND',
  'OVERRIDE_NOT_FOUND',
  'PICKUP_NOT_FOUND',
  'CREDENTIAL_NOT_FOUND',
  'USER_NOT_FOUND',
  'SESSION_NOT_FOUND',
  'INVITE_NOT_FOUND',
  'SCHEDULE_NOT_PUBLISHED',
  // Sign-in links
  'INVITE_USED',
  'INVITE_EXPIRED',
  'INVITE_REVOKED',
  // Share links (slips, calendars)
  'SHARE_LINK_NOT_FOUND',
  'SHARE_LINK_REVOKED',
  'SHARE_LINK_EXPIRED',
  // Registration
  'CREDIT_CODE_TAKEN',
  'PRODUCT_CODE_TAKEN',
  'PROVINCE_CODE_TAKEN',
  'PRIORITY_CATEGORY_UNMAPPED',
  'PICKUP_WINDOW_INVALID',
  'REMINDER_AFTER_CUTOFF',
  'AUTO_PUBLISH_BEFORE_RUN',
  'DUPLICATE_ZONE',
  'UNKNOWN_ZONE',
  'ZONE_IN_PROVINCE',
  'WEBHOOK_TARGET_NOT_ALLOWED',
  // Reports
  'UNKNOWN_PRODUCT',
  'DUPLICATE_PRODUCT',
  'STATED_QUANTITY_ABOVE_CAP',
  'HEADCOUNT_ABOVE_REGISTERED',
  'DEMAND_AFTER_CUTOFF',
  'CAPACITY_AFTER_CUTOFF',
  'SERVICE_DATE_IN_PAST',
  'SERVICE_DATE_TOO_FAR',
  'SERVICE_DATE_OUT_OF_RANGE',
  'DATE_RANGE_INVALID',
  // Runs and overrides
  'RUN_NOT_DRAFT',
  'RUN_NOT_COMPUTED',
  'RUN_NOT_PUBLISHED',
  'RUN_NOT_PENDING',
  'RUN_NOT_RERUNNABLE',
  'RUN_OUTDATED',
  'RUN_CONFLICT',
  'RUNS_NOT_COMPARABLE',
  'STALE_ETAG',
  'IF_MATCH_REQUIRED',
  'PICKUPS_CONFIRMED_SINCE',
  'OVERRIDE_CONFLICT',
  'UNKNOWN_ENTERPRISE',
  'UNKNOWN_SUPPLIER',
  'INVALID_QUANTITY',
  'DUPLICATE_OVERRIDE',
  'PIN_EXCLUDED_CONFLICT',
  'PIN_NOT_WHOLE_PACKS',
  'PIN_ABOVE_CAPACITY',
  'PIN_ABOVE_NEED',
  // Pickups
  'PICKUP_NOT_YET',
  'PICKUP_NO_SHOW',
  'PICKUP_CODE_SUPERSEDED',
  // Imports
  'IMPORT_ROWS_INVALID',
  'IMPORT_CSV_MALFORMED',
  'IMPORT_HEADER_INVALID',
  'IMPORT_EMPTY',
  'IMPORT_MODE_REQUIRED',
  'IMPORT_ENCODING_INVALID',
  'IMPORT_ENCODING_UNSUPPORTED',
  'IMPORT_FILE_MISSING',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Values a problem's text names (dates, numbers, names), so every language can say them. */
export type ProblemParams = Readonly<Record<string, string | number>>;

/**
 * The Chinese text of each code: a sentence that is true whatever the values, and where the
 * English detail names values, a second template that names them too (used when the error
 * carries every value it names as a param).
 */
export const PROBLEM_TEXTS_ZH: Record<ProblemCode, string | readonly [generic: string, withValues: string]> = {
  VALIDATION_FAILED: '请求内容有误，请按字段说明修改',
  INVALID_INPUT: '请求内容含有不允许的字符或结构',
  BAD_REQUEST: '请求体不是有效的 JSON',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持该内容类型（Content-Type）',
  UNAUTHENTICATED: '请提供访问令牌：Authorization: Bearer <令牌>',
  INVALID_TOKEN: '访问令牌无效或已吊销',
  SESSION_EXPIRED: '登录已失效（已退出、被吊销或过期），请使用新的登录链接',
  CSRF_TOKEN_INVALID: '使用会话 Cookie 的修改请求须在 X-CSRF-Token 中携带 CSRF 令牌',
  ROLE_NOT_ALLOWED: ['您的角色无权进行此操作', '{role} 角色无权进行此操作'],
  TOO_MANY_AUTH_FAILURES: '来自此地址的无效令牌请求过多，请一分钟后再试',
  TOO_MANY_REQUESTS: ['请求过于频繁，请稍后再试', '此令牌每分钟请求超过 {limit} 次，请 {retryAfter} 秒后再试'],
  IDEMPOTENCY_KEY_INVALID: 'Idempotency-Key 须为 1–200 个可打印 ASCII 字符',
  IDEMPOTENCY_KEY_REUSED: '此 Idempotency-Key 已用于另一个不同的请求',
  IDEMPOTENCY_IN_FLIGHT: '使用此 Idempotency-Key 的请求仍在处理中，请稍后重试',
  DASHBOARD_READ_ONLY: '队列看板为只读；请通过 API 重新计算或发布',
  SERVICE_UNAVAILABLE: '数据库暂时无法连接，请稍后重试',
  NOT_READY: ['服务尚未就绪，请稍后重试', '服务尚未就绪：{dependency} 不可用'],
  INTERNAL_ERROR: '服务器内部错误，已记录日志',
  CONFLICT: '已存在相同标识的记录',
  REFERENCED: '该记录被其他记录引用，或引用了不存在的记录',
  RETRY: '数据被同时修改，请重试',
  NOT_FOUND: '未找到',
  ZONE_NOT_FOUND: '未找到该园区',
  PROVINCE_NOT_FOUND: '未找到该省份',
  PROVINCE_NIGHT_NOT_FOUND: '未找到该省份当晚的计算',
  ORGANIZATION_NOT_FOUND: '未找到该单位',
  PRODUCT_NOT_FOUND: '未找到该物资',
  RUN_NOT_FOUND: '未找到该分配方案',
  OVERRIDE_NOT_FOUND: '未找到该人工调整',
  PICKUP_NOT_FOUND: '未找到该领取预约',
  CREDENTIAL_NOT_FOUND: '未找到该令牌',
  USER_NOT_FOUND: '未找到该用户',
  SESSION_NOT_FOUND: '未找到该会话',
  INVITE_NOT_FOUND: '登录链接无效',
  SCHEDULE_NOT_PUBLISHED: ['领取安排尚未发布', '{serviceDate} 的领取安排尚未发布'],
  INVITE_USED: '此登录链接已被使用，请联系协调员重新获取',
  INVITE_EXPIRED: '此登录链接已过期，请联系协调员重新获取',
  INVITE_REVOKED: '此登录链接已被收回，请联系协调员重新获取',
  SHARE_LINK_NOT_FOUND: '链接无效',
  SHARE_LINK_REVOKED: '此链接已被分享它的企业收回，请向企业重新索取',
  SHARE_LINK_EXPIRED: ['此链接已过期，请向企业重新索取', '此链接已于 {expiresAt} 过期，请向企业重新索取'],
  CREDIT_CODE_TAKEN: ['该统一社会信用代码已登记', '统一社会信用代码 {creditCode} 已登记'],
  PRODUCT_CODE_TAKEN: ['该物资编码在本园区已存在', '物资编码 {productCode} 在本园区已存在'],
  PROVINCE_CODE_TAKEN: '该省份代码已存在',
  PRIORITY_CATEGORY_UNMAPPED: ['该优先类别在本园区的分级中没有对应级别', '优先类别 {category} 在本园区的分级中没有对应级别'],
  PICKUP_WINDOW_INVALID: '领取时段无效：结束须晚于开始、至少容纳一个时段，且各时段不能重叠',
  REMINDER_AFTER_CUTOFF: ['提醒时间须早于截止时间（均为服务日前一天的本地时间）', '提醒时间 {reminderTime} 须早于截止时间 {cutoffTime}（均为服务日前一天的本地时间）'],
  AUTO_PUBLISH_BEFORE_RUN: ['自动发布时间须晚于计算时间（均为服务日当天的本地时间）', '自动发布时间 {autoPublishTime} 须晚于计算时间 {runTime}（均为服务日当天的本地时间）'],
  DUPLICATE_ZONE: '同一园区列出了多次',
  UNKNOWN_ZONE: '园区不存在',
  ZONE_IN_PROVINCE: '该园区已属于另一个省份',
  WEBHOOK_TARGET_NOT_ALLOWED: '不允许的回调地址（须为 https，且指向公网地址）',
  UNKNOWN_PRODUCT: ['物资编码不在本园区的目录中', '物资 {productCode} 不在本园区的目录中'],
  DUPLICATE_PRODUCT: ['同一物资填写了多次', '物资 {productCode} 填写了多次'],
  STATED_QUANTITY_ABOVE_CAP: [
    '申报数量超过上限（在岗人数 × 标准 × 上浮系数）',
    '{productCode} 的申报数量 {statedQuantity} 超过上限 {limit}（在岗人数 {headcount} × 标准 {norm} × 上浮系数 {capFactor}）',
  ],
  HEADCOUNT_ABOVE_REGISTERED: ['在岗人数不能超过登记的员工人数', '在岗人数 {headcount} 超过登记的员工人数 {registered}'],
  DEMAND_AFTER_CUTOFF: [
    '已过需求填报截止时间，如需补报请联系协调员',
    '{serviceDate} 的需求填报已于 {cutoffDate} {cutoffTime}（{timeZone}）截止，如需补报请联系协调员',
  ],
  CAPACITY_AFTER_CUTOFF: [
    '已过产能填报截止时间，如需补报请联系协调员',
    '{serviceDate} 的产能填报已于 {cutoffDate} {cutoffTime}（{timeZone}）截止，如需补报请联系协调员',
  ],
  SERVICE_DATE_IN_PAST: ['不能填报过去的日期', '服务日期 {serviceDate} 早于今天（{timeZone} 的 {today}）'],
  SERVICE_DATE_TOO_FAR: ['只能填报 7 天以内的日期', '服务日期 {serviceDate} 超过 {maxDays} 天（最晚 {last}）'],
  SERVICE_DATE_OUT_OF_RANGE: ['日期超出允许范围', '只能为今天（{today}）前后 {days} 天内的日期操作'],
  DATE_RANGE_INVALID: ['日期范围无效', '结束日期须不早于开始日期，且相差不超过 {maxDays} 天'],
  RUN_NOT_DRAFT: ['只有草稿方案可以发布', '只有草稿方案可以发布；此方案状态为 {status}'],
  RUN_NOT_COMPUTED: ['方案尚未计算完成', '此方案状态为 {status}，尚无计算结果'],
  RUN_NOT_PUBLISHED: '当天已发布的方案已变更，请刷新后重试',
  RUN_NOT_PENDING: '方案不在等待计算状态',
  RUN_NOT_RERUNNABLE: ['该方案不能重新计算', '此方案状态为 {status}，不能重新计算'],
  RUN_OUTDATED: '此草稿计算于另一方案发布之前，请重新计算以更正已发布的安排',
  RUN_CONFLICT: ['方案已被他人修改，请刷新后重试', '方案当前状态为 {status}，请刷新后重试'],
  RUNS_NOT_COMPARABLE: '只能对比同一园区同一天的方案',
  STALE_ETAG: ['方案在您读取后已被修改，请刷新后重试', '方案在您读取后已被修改（当前版本 {version}），请刷新后重试'],
  IF_MATCH_REQUIRED: '请在 If-Match 中携带方案的 ETag（来自 GET /runs/{id}）',
  PICKUPS_CONFIRMED_SINCE: ['发布后又有领取被确认，此更正会改动已领取的预约，请重新计算', '发布后又有 {count} 个领取被确认，此更正会改动它们，请重新计算'],
  OVERRIDE_CONFLICT: '此调整与当天已有的调整或方案输入冲突',
  UNKNOWN_ENTERPRISE: '该企业当天没有填报，或不在本园区',
  UNKNOWN_SUPPLIER: '该生产企业当天没有产能，或不在本园区',
  INVALID_QUANTITY: '数量无效',
  DUPLICATE_OVERRIDE: '该企业的这项物资已有数量调整',
  PIN_EXCLUDED_CONFLICT: '同一企业与生产企业不能既指定又排除',
  PIN_NOT_WHOLE_PACKS: '指定数量须为整包',
  PIN_ABOVE_CAPACITY: '指定数量超过该生产企业的产能',
  PIN_ABOVE_NEED: '指定数量超过该企业的需求',
  PICKUP_NOT_YET: ['还未到领取日期，不能确认', '此领取日期为 {serviceDate}，当天起才能确认（今天是 {today}）'],
  PICKUP_NO_SHOW: '该预约已在生产企业最后一个时段结束后记为未到场',
  PICKUP_CODE_SUPERSEDED: ['此领取码已因安排更正而作废，请企业查看最新领取码', '此领取码已因 {serviceDate} 的安排更正而作废，请企业查看最新领取码'],
  IMPORT_ROWS_INVALID: ['导入文件中有错误的行，未导入任何内容', '导入文件中有 {badRows} 行错误，未导入任何内容'],
  IMPORT_CSV_MALFORMED: '导入文件不是格式正确的 CSV',
  IMPORT_HEADER_INVALID: '导入文件的表头不正确',
  IMPORT_EMPTY: '导入文件中没有数据行',
  IMPORT_MODE_REQUIRED: [
    '文件未包含部分单位当天最新填报中的物资，请指定 mode=merge（保留这些物资）或 mode=replace（以文件为准）',
    '文件未包含 {count} 家单位当天最新填报中的部分物资，请指定 mode=merge（保留这些物资）或 mode=replace（以文件为准）',
  ],
  IMPORT_ENCODING_INVALID: '导入文件不是有效的 UTF-8 或 GB18030 文本',
  IMPORT_ENCODING_UNSUPPORTED: '不支持该文件编码，请使用 UTF-8（或 GBK/GB18030）',
  IMPORT_FILE_MISSING: '表单中没有名为 file 的文件（只能上传一个文件）',
};

/** Fills `{name}` from params; null when a named value is missing. */
function fill(template: string, params: ProblemParams): string | null {
  let missing = false;
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) missing = true;
    return String(value);
  });
  return missing ? null : text;
}

/**
 * The Chinese title (the code's sentence) and detail (with the error's values when it carries them
 * all, else the same sentence) of a problem.
 * @example problemTextZh('HEADCOUNT_ABOVE_REGISTERED', { headcount: 120, registered: 100 }).detail // '在岗人数 120 超过登记的员工人数 100'
 */
export function problemTextZh(code: ProblemCode, params: ProblemParams = {}): { title: string; detail: string } {
  const entry = PROBLEM_TEXTS_ZH[code];
  if (typeof entry === 'string') return { title: entry, detail: entry };
  const [generic, withValues] = entry;
  return { title: generic, detail: fill(withValues, params) ?? generic };
}

/**
 * Field reasons as the API writes them (class-validator's default messages, the validators'
 * own messages and the path and input checks), each with its Chinese form. Matched anywhere in
 * the reason, so `headcount must not be less than 0` and `must not be less than 0` both match.
 */
const FIELD_REASONS_ZH: readonly (readonly [RegExp, string])[] = [
  [/should not exist/, '不允许的字段'],
  [/must be either object or array/, '须为对象或数组'],
  [/must be a string/, '须为文本'],
  [/must be an integer number/, '须为整数'],
  [/must be a number/, '须为数字'],
  [/must be a boolean value/, '须为 true 或 false'],
  [/must be an array/, '须为数组'],
  [/must be a UUID/, '须为 UUID'],
  [/must not be less than (\S+)$/, '不能小于 $1'],
  [/must not be greater than (\S+)$/, '不能大于 $1'],
  [/must be shorter than or equal to (\d+) characters/, '长度不能超过 $1 个字符'],
  [/must be longer than or equal to (\d+) characters/, '长度不能少于 $1 个字符'],
  [/must contain no more than (\d+) elements/, '最多 $1 项'],
  [/must contain at least (\d+) elements/, '至少 $1 项'],
  [/must be one of the following values: (.*)$/, '须为以下值之一：$1'],
  [/must be a latitude/, '须为纬度（-90 至 90）'],
  [/must be a longitude/, '须为经度（-180 至 180）'],
  [/must not be blank/, '不能为空'],
  [/must be a local time HH:MM/, '须为本地时间 HH:MM（00:00–23:59）'],
  [/must be a calendar date YYYY-MM-DD/, '须为日期 YYYY-MM-DD'],
  [/must be an IANA time zone/, '须为 IANA 时区，如 Asia/Shanghai'],
  [/unified social credit code/, '须为 18 位统一社会信用代码，且校验位符合 GB 32100-2015'],
  [/must map priority categories/, '须将优先类别映射到分级'],
  [/must be the 8-character code/, '须为领取单上的 8 位领取码'],
  [/must be 1–40 capitals, digits or dashes/, '须为 1–40 个大写字母、数字或连字符'],
  [/must be 1–40 letters, digits, - or _/, '须为 1–40 个字母、数字、- 或 _'],
  [/must be a phone number/, '须为电话号码（数字、空格、连字符或括号）'],
  [/must be an http\(s\) URL/, '须为 http(s) 网址'],
  [/must be a product code of the zone/, '须为本园区目录中的物资编码'],
  [/must match .* regular expression/, '格式不正确'],
  [/after the reporting cutoff/, '已过填报截止时间'],
  [/contains a NUL character/, '含有 NUL 字符'],
  [/contains a lone UTF-16 surrogate/, '含有不成对的 UTF-16 代理字符'],
  [/nested deeper than (\d+) levels/, '嵌套超过 $1 层'],
  [/this key is not accepted/, '不接受此键名'],
  [/is not a whole number/, '须为不小于 0 的整数'],
  [/appears again/, '在文件中重复出现'],
  [/is registered in another zone/, '已在其他园区登记'],
  [/is registered as an enterprise/, '已登记为企业'],
  [/is registered as a supplier/, '已登记为供应商'],
  [/must be enterprise or supplier/, '须为 企业（enterprise）或 供应商（supplier）'],
  [/is only for suppliers/, '仅供应商填写，企业请留空'],
  [/is only for enterprises/, '仅企业填写，供应商请留空'],
  [/must be 1–8 windows/, '须为 1–8 个时段 HH:MM-HH:MM，以 ; 分隔'],
  [/^(\S+): the latest version for the date also has (.*)$/, '$1 当天最新填报中还有 $2，文件未包含'],
  [/is required/, '必须填写'],
];

/** A field reason in Chinese, or null when it is none of the reasons the API writes for fields. */
export function fieldReasonZh(reason: string): string | null {
  for (const [pattern, zh] of FIELD_REASONS_ZH) {
    const m = pattern.exec(reason);
    if (m) return zh.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  return null;
}
