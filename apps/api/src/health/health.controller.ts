import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { DomainError } from '#domain';
import { Public } from '../common/auth/decorators.js';
import { REDIS } from '../infra/redis.module.js';
import { LivenessView, ReadinessView } from './health.views.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  @ApiOkResponse({ type: LivenessView, description: 'The process is up' })
  @ApiOperation({ summary: 'Whether the process is up' })
  checkLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ type: ReadinessView, description: 'PostgreSQL and Redis both answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (problem+json naming it)' })
  @ApiOperation({ summary: 'Whether PostgreSQL and Redis answer' })
  async checkReadiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('postgres', { timeout: 1500 }),
        () =>
          this.indicators
            .check('redis')
            .attempt(async () => {
              await this.redis.ping();
            })
            .withTimeout(1500),
      ]);
    } catch (err) {
      const details = (err as { response?: HealthCheckResult }).response?.error ?? {};
      const down = Object.keys(details);
      throw new DomainError('unavailable', 'NOT_READY', `Not ready: ${down.length ? down.join(', ') : 'a dependency'} is down`, [], down.length ? { dependency: down.join(', ') } : {});
    }
  }
}
