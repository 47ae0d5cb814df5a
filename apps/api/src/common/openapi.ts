import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

class FieldProblemView {
  @ApiProperty({ example: 'lines[0].statedQuantity' }) field: string;
  @ApiProperty({ example: 'statedQuantity must not be less than 0' }) reason: string;
}

/** RFC 9457 problem details, as every error is answered. */
export class ProblemView {
  @ApiProperty({ example: '/problems/validation-failed' }) type: string;
  @ApiProperty({ example: 'Validation failed' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'Invalid request: headcount: headcount must not be less than 0' }) detail: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable error code' }) code: string;
  @ApiPropertyOptional({ example: '/enterprises/3b1e…/demand-reports' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldProblemView] }) errors?: FieldProblemView[];
}

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } } });

/** The error responses every authenticated route can give. */
export const ApiProblems = () =>
  applyDecorators(
    problem(400, 'Malformed request (field-level errors in `errors`)'),
    problem(401, 'Missing or unknown bearer token'),
    problem(403, 'The caller’s role may not do this'),
    problem(404, 'Not found, or outside the caller’s organization or zone'),
    problem(409, 'Conflicts with the current state (e.g. after the reporting cutoff)'),
    problem(422, 'Breaks a business rule (e.g. headcount above registered employees)'),
    problem(503, 'A dependency is unreachable; retry'),
  );
