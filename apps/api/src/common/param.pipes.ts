import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError, isCalendarDate } from '#domain';

/** Path ids are UUIDs; anything else is a 400 naming the parameter, never a database error. */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUUID(value)) {
      const field = metadata.data ?? 'id';
      throw new DomainError('invalid', 'VALIDATION_FAILED', `${field} must be a UUID`, [{ field, reason: 'must be a UUID' }]);
    }
    return value;
  }
}

/** Path service dates are real calendar dates YYYY-MM-DD. */
@Injectable()
export class ServiceDateParam implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isCalendarDate(value)) {
      const field = metadata.data ?? 'serviceDate';
      throw new DomainError('invalid', 'VALIDATION_FAILED', `${field} must be a calendar date YYYY-MM-DD`, [{ field, reason: 'must be a calendar date YYYY-MM-DD' }]);
    }
    return value;
  }
}
