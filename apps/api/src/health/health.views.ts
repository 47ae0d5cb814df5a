import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessView {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

/** One dependency as @nestjs/terminus reports it. */
class DependencyStatusView {
  @ApiProperty({ enum: ['up', 'down'], enumName: 'DependencyStatus', description: 'Whether it answered within 1.5 s' }) status: string;
}

class DependenciesView {
  @ApiPropertyOptional({ type: DependencyStatusView }) postgres?: DependencyStatusView;
  @ApiPropertyOptional({ type: DependencyStatusView }) redis?: DependencyStatusView;
}

/** @nestjs/terminus's health check result when every dependency answers (a 503 problem names the one that does not). */
export class ReadinessView {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
  @ApiProperty({ type: DependenciesView, description: 'The dependencies that answered' }) info: DependenciesView;
  @ApiProperty({ type: DependenciesView, description: 'The dependencies that did not (empty here)' }) error: DependenciesView;
  @ApiProperty({ type: DependenciesView, description: 'Every dependency checked' }) details: DependenciesView;
}
