import { DomainError } from './errors.js';
import { PickupStatus, RunStatus } from './enums.js';

/** A pickup as the gate finds it by its code: the state of its run and of the appointment. */
export interface PickupAtGate {
  /** Status of the run the appointment belongs to: published, or superseded by a correction. */
  runStatus: RunStatus;
  serviceDate: string;
  status: PickupStatus;
}

/**
 * Whether a supplier may confirm this pickup on `today` (zone-local): a code a correction replaced
 * is gone (410, pointing to the new schedule), a pickup is confirmed from its service day on, and a
 * no-show stays one. Confirming an already confirmed pickup is allowed (it answers the same).
 */
export function assertPickupConfirmable(pickup: PickupAtGate, today: string): void {
  if (pickup.runStatus === RunStatus.Superseded) {
    throw new DomainError(
      'gone',
      'PICKUP_CODE_SUPERSEDED',
      `This code was replaced when the schedule of ${pickup.serviceDate} was corrected: the enterprise’s new schedule has its new code (此取货码已因排程更正而作废，请查看新排程)`,
      [],
      { serviceDate: pickup.serviceDate },
    );
  }
  if (today < pickup.serviceDate) {
    throw new DomainError('conflict', 'PICKUP_NOT_YET', `This pickup is for ${pickup.serviceDate}; it can be confirmed from that day (today is ${today})`, [], { serviceDate: pickup.serviceDate, today });
  }
  if (pickup.status === PickupStatus.NoShow) throw new DomainError('conflict', 'PICKUP_NO_SHOW', 'This pickup was already marked a no-show after the supplier’s last window');
}
