import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateEnterpriseDto } from './create-enterprise.dto.js';
import { CreateSupplierDto } from './create-supplier.dto.js';

export class UpdateEnterpriseDto extends PartialType(CreateEnterpriseDto) {}

/** Pickup windows have their own endpoint, which the supplier itself may call. */
export class UpdateSupplierDto extends PartialType(OmitType(CreateSupplierDto, ['pickupWindows', 'slotMinutes', 'vehiclesPerSlot'] as const)) {}
