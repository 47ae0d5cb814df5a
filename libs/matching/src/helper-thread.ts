/**
 * A helper thread of side-by-side.ts: does the part of the work it is sent (a range of the reach
 * graph, whole products, or the slots), answers on the job's port, then raises the job's flag for the
 * caller, which waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildReach } from './reach.js';
import { assignSlots } from './slots.js';
import { solveProduct, toColumns, type HelperAnswer, type HelperJob } from './side-by-side.js';

const { state } = workerData as { state: Int32Array };

// Ended (process.exit, an uncaught error): the caller, blocked in Atomics.wait, cannot hear the
// thread's 'exit' event, so it reads this flag and does the part itself.
process.on('exit', () => {
  Atomics.store(state, 0, 2);
  Atomics.notify(state, 0);
});
// A job that cannot be read would leave its caller waiting: end instead.
parentPort?.on('messageerror', () => process.exit(1));

parentPort?.on('message', (job: HelperJob) => {
  let answer: HelperAnswer;
  const transfer: ArrayBuffer[] = [];
  try {
    if (job.kind === 'reach') {
      // Built in shared memory (see reach.ts): sent without a copy.
      answer = { ok: true, reach: buildReach(job.model, job.stocked, job.from, job.to) };
    } else if (job.kind === 'slots') {
      const pickups = Array.from(job.e, (e, i) => ({ e, s: job.s[i], distM: job.distM[i] }));
      answer = { ok: true, slots: assignSlots(job.model, pickups) };
    } else {
      const outcomes = job.products.map(({ p, freePacks, pinnedPacks }) => {
        const o = solveProduct(job.model, job.reach, job.opt, p, freePacks, pinnedPacks);
        const lines = toColumns(o.lines);
        transfer.push(o.share.buffer as ArrayBuffer, lines.e.buffer as ArrayBuffer, lines.s.buffer as ArrayBuffer, lines.packs.buffer as ArrayBuffer, lines.distM.buffer as ArrayBuffer);
        return { ...o, lines };
      });
      answer = { ok: true, outcomes };
    }
  } catch (err) {
    answer = { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    transfer.length = 0;
  }
  try {
    job.port.postMessage(answer, transfer);
  } catch (err) {
    // An answer that cannot be sent is an answer that failed (the caller then does the part).
    job.port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies HelperAnswer);
  }
  job.port.close();
  // Raised only now: the answer is in the port's queue before the caller wakes to read it.
  Atomics.store(job.done, 0, 1);
  Atomics.notify(job.done, 0);
});

// Ready: the caller now waits for answers as long as the work takes (see `answerOf`).
Atomics.store(state, 0, 1);
Atomics.notify(state, 0);
