import { REPORT_KINDS } from './report-kind.js';
import { checkReportingWindow, reportRange } from './reporting-window.js';

const shanghai = { timeZone: 'Asia/Shanghai', cutoffTime: '20:00' };
const demand = REPORT_KINDS.demand;

/** A refusal with this code. */
const refused = (code: string) => expect.objectContaining({ code, kind: expect.any(String) });

describe('reporting window', () => {
  it('takes today to 7 days ahead until 20:00 the day before, zone-local; after that only staff, marked late', () => {
    const noon = new Date('2026-03-02T04:00:00Z'); // 12:00 on 03-02 in Shanghai
    expect(checkReportingWindow(noon, shanghai, '2026-03-03', demand, false)).toEqual({ late: false });
    expect(checkReportingWindow(noon, shanghai, '2026-03-09', demand, false)).toEqual({ late: false });
    expect(() => checkReportingWindow(noon, shanghai, '2026-03-10', demand, false)).toThrow(refused('SERVICE_DATE_TOO_FAR'));
    expect(() => checkReportingWindow(noon, shanghai, '2026-03-01', demand, false)).toThrow(refused('SERVICE_DATE_IN_PAST'));
    const cutoff = new Date('2026-03-02T12:00:00Z'); // 20:00 in Shanghai
    expect(checkReportingWindow(new Date(cutoff.getTime() - 1), shanghai, '2026-03-03', demand, false)).toEqual({ late: false });
    expect(() => checkReportingWindow(cutoff, shanghai, '2026-03-03', REPORT_KINDS.capacity, false)).toThrow(refused('CAPACITY_AFTER_CUTOFF'));
    expect(checkReportingWindow(cutoff, shanghai, '2026-03-03', demand, true)).toEqual({ late: true });
  });

  it('answers by the clock given, whichever way it moves between calls (the zone day is remembered with its bounds)', () => {
    const lastInstantOf0302 = new Date('2026-03-02T15:59:59.999Z'); // 23:59:59.999 in Shanghai
    const midnight = new Date('2026-03-02T16:00:00Z'); // 03-03 00:00 in Shanghai
    expect(checkReportingWindow(lastInstantOf0302, shanghai, '2026-03-09', demand, false)).toEqual({ late: false });
    expect(() => checkReportingWindow(lastInstantOf0302, shanghai, '2026-03-10', demand, true)).toThrow(refused('SERVICE_DATE_TOO_FAR'));
    expect(checkReportingWindow(midnight, shanghai, '2026-03-10', demand, false)).toEqual({ late: false });
    expect(() => checkReportingWindow(midnight, shanghai, '2026-03-02', demand, true)).toThrow(refused('SERVICE_DATE_IN_PAST'));
    // Back before midnight: 03-02 is today again.
    expect(checkReportingWindow(lastInstantOf0302, shanghai, '2026-03-02', demand, true)).toEqual({ late: true });
    // Same instant, another zone: 07:59 on 03-02 in Los Angeles.
    expect(checkReportingWindow(midnight, { timeZone: 'America/Los_Angeles', cutoffTime: '20:00' }, '2026-03-03', demand, false)).toEqual({ late: false });
  });

  it('reads a week either side of today by default and at most 62 days', () => {
    const noon = new Date('2026-03-02T04:00:00Z');
    expect(reportRange(noon, shanghai)).toEqual({ from: '2026-02-23', to: '2026-03-09' });
    expect(() => reportRange(noon, shanghai, '2026-01-01', '2026-03-05')).toThrow(refused('DATE_RANGE_INVALID'));
    expect(() => reportRange(noon, shanghai, '2026-03-05', '2026-03-04')).toThrow(refused('DATE_RANGE_INVALID'));
  });
});
