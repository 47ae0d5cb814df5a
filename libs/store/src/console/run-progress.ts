import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QUEUES } from '#domain';

export interface RunJobProgress {
  /** BullMQ's state of the run's job: waiting, active, completed, failed, delayed… or 'unknown' once removed. */
  state: string;
  stage: string | null;
  percent: number;
  attemptsMade: number;
}

/** The progress the worker reports on a run's job (job id = run id): snapshot, solve, write. */
@Injectable()
export class RunProgressReader {
  constructor(@InjectQueue(QUEUES.allocation) private readonly queue: Queue) {}

  async of(runId: string): Promise<RunJobProgress> {
    const job = await this.queue.getJob(runId);
    if (!job) return { state: 'unknown', stage: null, percent: 0, attemptsMade: 0 };
    const state = await job.getState();
    const p = job.progress as { stage?: string; percent?: number } | number | undefined;
    const stage = typeof p === 'object' && p ? (p.stage ?? null) : null;
    const percent = state === 'completed' ? 100 : typeof p === 'number' ? p : typeof p === 'object' && p ? (p.percent ?? 0) : 0;
    return { state, stage, percent, attemptsMade: job.attemptsMade };
  }
}
