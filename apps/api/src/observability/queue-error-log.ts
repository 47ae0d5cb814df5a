import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { OBSERVED_QUEUES } from './observed-queues.js';

/** One line per queue at most this often while Redis stays away. */
const QUIET_MS = 30_000;

/**
 * The API's queue handles emit 'error' on every failed Redis reconnect; with no listener BullMQ
 * prints each one to stderr as a bare stack trace. This turns them into a JSON warning, at most
 * one per queue every 30 s; readiness and /metrics report the outage itself.
 */
@Injectable()
export class QueueErrorLog {
  private readonly logger = new Logger('Queues');

  constructor(@Inject(OBSERVED_QUEUES) queues: Queue[]) {
    for (const queue of queues) {
      let last = 0;
      queue.on('error', (err: Error) => {
        if (Date.now() - last < QUIET_MS) return;
        last = Date.now();
        this.logger.warn(`queue ${queue.name}: Redis unavailable: ${err.message}`);
      });
    }
  }
}
