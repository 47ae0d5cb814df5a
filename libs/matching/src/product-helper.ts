/**
 * A helper thread of `solveProducts` (products.ts): solves the products it is sent and answers on
 * the job's port, then raises the job's flag for the caller, which waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { solveProduct, toColumns, type HelperAnswer, type HelperJob } from './products.js';

const { state } = workerData as { state: Int32Array };

parentPort?.on('message', (job: HelperJob) => {
  let answer: HelperAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    const outcomes = job.products.map(({ p, freePacks, pinnedPacks }) => {
      const o = solveProduct(job.model, job.reach, job.opt, p, freePacks, pinnedPacks);
      const lines = toColumns(o.lines);
      transfer.push(o.share.buffer as ArrayBuffer, lines.e.buffer as ArrayBuffer, lines.s.buffer as ArrayBuffer, lines.packs.buffer as ArrayBuffer, lines.distM.buffer as ArrayBuffer);
      return { ...o, lines };
    });
    answer = { ok: true, outcomes };
  } catch (err) {
    answer = { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    transfer.length = 0;
  }
  job.port.postMessage(answer, transfer);
  job.port.close();
  Atomics.store(job.done, 0, 1);
  Atomics.notify(job.done, 0);
});

// Ready: the caller now waits for answers as long as the work takes (see `awaitAnswer`).
Atomics.store(state, 0, 1);
Atomics.notify(state, 0);
