import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { Clock, DeliveryStatus, QUEUES, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, type WebhookJobs } from '#domain';
import { AppConfig, dispatchJob, egressPolicy, WebhookStore, type EgressPolicy, type JobHandlers } from '#store';
import { sendWebhook } from './webhook-sender.js';

const TIMEOUT_MS = 5000;

/**
 * Delivers signed webhook POSTs. Each attempt is logged on the delivery; a non-2xx answer or a
 * network error throws so BullMQ retries with backoff, and nothing else waits on it.
 */
@Processor(QUEUES.webhooks, { concurrency: 8 })
export class WebhookProcessor extends WorkerHost {
  private readonly logger = new Logger('WebhookProcessor');
  private readonly egress: EgressPolicy;

  constructor(
    private readonly webhooks: WebhookStore,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    super();
    this.egress = egressPolicy(config);
  }

  private readonly handlers: JobHandlers<typeof QUEUES.webhooks> = {
    deliver: (_, job) => this.deliver(job),
  };

  process(job: Job): Promise<unknown> {
    return dispatchJob(this.handlers, job);
  }

  private async deliver(job: Job<WebhookJobs['deliver']>): Promise<string> {
    const pending = await this.webhooks.pendingDelivery(job.data.deliveryId);
    if (!pending) return 'nothing_to_do';
    const { delivery, secret } = pending;
    if (!secret) {
      await this.webhooks.recordAttempt(delivery.id, { status: DeliveryStatus.Failed, lastError: 'organization has no webhook secret' });
      return 'no_secret';
    }
    const body = JSON.stringify({ id: delivery.id, ...delivery.payload });
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body), [TIMESTAMP_HEADER]: timestamp };
    // The URL was checked at registration; it is checked again here, against the address connected.
    const { statusCode, error, detail, refused } = await sendWebhook(delivery.url, headers, body, this.egress, TIMEOUT_MS);
    const attempts = delivery.attempts + 1;
    const lastAttempt = refused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.webhooks.recordAttempt(
      delivery.id,
      error
        ? { attempts, lastStatusCode: statusCode, lastError: error, status: lastAttempt ? DeliveryStatus.Failed : DeliveryStatus.Pending }
        : { attempts, lastStatusCode: statusCode, lastError: null, status: DeliveryStatus.Delivered, deliveredAt: this.clock.now() },
    );
    if (error) {
      this.logger.warn(`delivery ${delivery.id} to ${delivery.url} failed (attempt ${attempts}): ${error}${detail ? ` (${detail})` : ''}`);
      throw refused ? new UnrecoverableError(error) : new Error(error);
    }
    return 'delivered';
  }
}
