import { Injectable, Logger } from '@nestjs/common';
import { JobCatalogue } from '#store';

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

  constructor(jobs: JobCatalogue) {
    const last = new Map<string, number>();
    jobs.onError((queue, err) => {
      if (Date.now() - (last.get(queue) ?? 0) < QUIET_MS) return;
      last.set(queue, Date.now());
      this.logger.warn(`queue ${queue}: Redis unavailable: ${err.message}`);
    });
  }
}
