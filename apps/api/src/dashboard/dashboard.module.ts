import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { JobCatalogue } from '#store';
import { DASHBOARD_ROUTE, DashboardAuthMiddleware } from './dashboard-auth.middleware.js';

/**
 * bull-board at /queues over every queue (allocation, webhooks, province, maintenance), under the
 * configured QUEUE_PREFIX. Read-only: the queues serve every zone, and a coordinator retrying or
 * cleaning jobs would act on other zones' work.
 */
@Module({ providers: [DashboardAuthMiddleware] })
export class DashboardModule implements NestModule {
  constructor(private readonly jobs: JobCatalogue) {}

  configure(consumer: MiddlewareConsumer): void {
    const board = new ExpressAdapter();
    board.setBasePath(DASHBOARD_ROUTE);
    createBullBoard({
      queues: this.jobs.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'PPE queues' } },
    });
    consumer.apply(DashboardAuthMiddleware, board.getRouter()).forRoutes(DASHBOARD_ROUTE);
  }
}
