import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock, DeliveryStatus, Organization, QUEUES, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, WebhookDelivery, type WebhookJobs } from '#domain';

const TIMEOUT_MS = 5000;

/**
 * Delivers signed webhook POSTs. Each attempt is logged on the delivery; a non-2xx answer or a
 * network error throws so BullMQ retries with backoff, and nothing else waits on it.
 */
@Processor(QUEUES.webhooks, { concurrency: 8 })
export class WebhookProcessor extends WorkerHost {
  private readonly logger = new Logger('WebhookProcessor');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  async process(job: Job<WebhookJobs['deliver']>): Promise<string> {
    const deliveries = this.dataSource.getRepository(WebhookDelivery);
    const delivery = await deliveries.findOneBy({ id: job.data.deliveryId });
    if (!delivery || delivery.status === DeliveryStatus.Delivered) return 'nothing_to_do';
    const org = await this.dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .addSelect('o.webhookSecret')
      .where('o.id = :id', { id: delivery.organizationId })
      .getOne();
    if (!org?.webhookSecret) {
      await deliveries.update({ id: delivery.id }, { status: DeliveryStatus.Failed, lastError: 'organization has no webhook secret' });
      return 'no_secret';
    }
    const body = JSON.stringify({ id: delivery.id, ...delivery.payload });
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(org.webhookSecret, timestamp, body), [TIMESTAMP_HEADER]: timestamp },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
      statusCode = res.status;
      if (!res.ok) error = `receiver answered ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const attempts = delivery.attempts + 1;
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await deliveries.update(
      { id: delivery.id },
      error
        ? { attempts, lastStatusCode: statusCode, lastError: error, status: lastAttempt ? DeliveryStatus.Failed : DeliveryStatus.Pending }
        : { attempts, lastStatusCode: statusCode, lastError: null, status: DeliveryStatus.Delivered, deliveredAt: this.clock.now() },
    );
    if (error) {
      this.logger.warn(`delivery ${delivery.id} to ${delivery.url} failed (attempt ${attempts}): ${error}`);
      throw new Error(error);
    }
    return 'delivered';
  }
}
