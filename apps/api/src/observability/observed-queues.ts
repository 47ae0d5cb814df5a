import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '#domain';

/** Every queue of the system, as the dashboard and the queue-depth gauges show them. */
export const OBSERVED_QUEUES = Symbol('OBSERVED_QUEUES');

const ALL = Object.values(QUEUES);
/** The API produces only on these (QueuesModule registers them); the others are registered here, only to be observed. */
const PRODUCED: readonly string[] = [QUEUES.allocation, QUEUES.webhooks];

/** Queue handles (same prefix and connection settings as QueuesModule) for the queues only the worker uses. */
export const observeOnlyQueues = BullModule.registerQueue(...ALL.filter((name) => !PRODUCED.includes(name)).map((name) => ({ name })));

export const observedQueuesProvider: Provider = {
  provide: OBSERVED_QUEUES,
  inject: ALL.map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]) => queues,
};
