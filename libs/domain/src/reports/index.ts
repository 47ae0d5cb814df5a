export { checkHeadcount, needFor, normNeed, statedLimit, type NormedProduct } from './need.js';
export { REPORT_KINDS, type ReportKind, type ReportKindName } from './report-kind.js';
export { checkReportingWindow, MAX_DAYS_AHEAD, MAX_RANGE_DAYS, reportRange, type ReportingZone } from './reporting-window.js';
