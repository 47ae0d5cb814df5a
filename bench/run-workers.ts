/**
 * Worker processes for the run benchmark: the real worker application (dist/apps/worker/src/main.js)
 * started as its own process with the bench's database and queue prefix, its peak resident set
 * read from /proc/<pid>/status (VmHWM) before it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WORKER_MAIN = fileURLToPath(new URL('../apps/worker/src/main.js', import.meta.url));

export interface WorkerProcess {
  index: number;
  child: ChildProcess;
  /** Every log line it printed, for the report when something goes wrong. */
  output: string[];
  /** Peak RSS so far, KiB (VmHWM), or null once the process is gone. */
  peakRssKb(): number | null;
  /** CPU time it has used so far (user + system), seconds, or null once the process is gone. */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

/** Starts a worker process and resolves once it logs that it started (or rejects with its output). */
export async function startWorker(index: number, env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${index} did not start in ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        output.push(line);
        if (output.length > 2000) output.shift();
        if (line.includes('worker started')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${index} exited with ${code}:\n${output.slice(-20).join('\n')}`));
    });
  });
  await ready;
  return {
    index,
    child,
    output,
    peakRssKb: () => {
      if (exited || !child.pid) return null;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : null;
    },
    cpuSeconds: () => {
      if (exited || !child.pid) return null;
      // Fields 14 and 15 of /proc/<pid>/stat (after the command in parentheses): utime and stime in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
