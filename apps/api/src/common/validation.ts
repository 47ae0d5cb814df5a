import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from '#domain';

/** Flattens nested class-validator errors into `lines[0].productCode`-style field paths. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    for (const reason of Object.values(e.constraints ?? {})) out.push({ field: path, reason });
    if (e.children?.length) out.push(...fieldProblems(e.children, path));
  }
  return out;
}

/** Unknown fields are rejected, types converted only as declared, and every failure named by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldProblems(errors);
      const summary = fields.map((f) => `${f.field}: ${f.reason}`).join('; ');
      return new DomainError('invalid', 'VALIDATION_FAILED', `Invalid request: ${summary}`, fields);
    },
  });
}
