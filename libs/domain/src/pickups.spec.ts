import { DomainError, PickupStatus, RunStatus } from '#domain';
import { assertPickupConfirmable } from './pickups.js';

const codeOf = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (err) {
    return err instanceof DomainError ? err.code : 'not a DomainError';
  }
};

describe('assertPickupConfirmable', () => {
  const pickup = { runStatus: RunStatus.Published, serviceDate: '2026-03-03', status: PickupStatus.Scheduled };

  it('allows a scheduled or confirmed pickup of a published run from its service day on', () => {
    expect(codeOf(() => assertPickupConfirmable(pickup, '2026-03-03'))).toBeNull();
    expect(codeOf(() => assertPickupConfirmable(pickup, '2026-03-04'))).toBeNull();
    expect(codeOf(() => assertPickupConfirmable({ ...pickup, status: PickupStatus.Confirmed }, '2026-03-03'))).toBeNull();
  });

  it('refuses a pickup before its service day', () => {
    expect(codeOf(() => assertPickupConfirmable(pickup, '2026-03-02'))).toBe('PICKUP_NOT_YET');
  });

  it('answers a replaced code as gone before anything else', () => {
    expect(codeOf(() => assertPickupConfirmable({ ...pickup, runStatus: RunStatus.Superseded }, '2026-03-02'))).toBe('PICKUP_CODE_SUPERSEDED');
  });

  it('keeps a no-show a no-show', () => {
    expect(codeOf(() => assertPickupConfirmable({ ...pickup, status: PickupStatus.NoShow }, '2026-03-03'))).toBe('PICKUP_NO_SHOW');
  });
});
