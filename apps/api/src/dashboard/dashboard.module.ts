import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Inject, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { OBSERVED_QUEUES } from '../observability/observed-queues.js';
import { DASHBOARD_ROUTE, DashboardAuthMiddleware } from './dashboard-auth.middleware.js';

/**
 * bull-board at /queues over every queue (allocation, webhooks, province, maintenance), under the
 * configured QUEUE_PREFIX. Read-only: the queues serve every zone, and a coordinator retrying or
 * cleaning jobs would act on other zones' work.
 */
@Module({ providers: [DashboardAuthMiddleware] })
export class DashboardModule implements NestModule {
  constructor(@Inject(OBSERVED_QUEUES) private readonly queues: Queue[]) {}

  configure(consumer: MiddlewareConsumer): void {
    const board = new ExpressAdapter();
    board.setBasePath(DASHBOARD_ROUTE);
    createBullBoard({
      queues: this.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'PPE queues' } },
    });
    consumer.apply(DashboardAuthMiddleware, board.getRouter()).forRoutes(DASHBOARD_ROUTE);
  }
}
