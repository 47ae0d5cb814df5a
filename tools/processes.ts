/**
 * The one way tools and tests start child processes: the compiled API and worker (paths relative to
 * the repository root, where npm runs every script, so they hold whether the caller is compiled in
 * dist/ or run from source by Jest) or any other program such as redis-server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const API_MAIN = 'dist/apps/api/src/main.js';
export const WORKER_MAIN = 'dist/apps/worker/src/main.js';

/**
 * The environment allocation runs in (the worker, and the allocation benchmark). The allocation
 * library solves products on helper threads, and glibc keeps what each thread frees in that
 * thread's own pool unless told to give it back: a fixed trim threshold returns freed blocks to
 * the system (and keeps large arrays in their own mappings). On the province benchmark the peak
 * was 1.02–1.15 GB without it and 0.87–0.95 GB with it, at the same speed, when it came in. Measured
 * again later (two alternated pairs each), it costs time: province 23.4–23.7 s with it against
 * 19.6–20.0 s without (peak 740–884 MB against 1,006–1,076 MB), city median 0.69–0.72 s against
 * 0.57 s. The memory it gives back is faulted in again as fresh pages (229,000 page faults against
 * 159,000 on a gloves-only province slice). A setting that keeps the peak under 1 GB at less cost
 * has not been found yet.
 */
export const ALLOCATION_ENV = { MALLOC_TRIM_THRESHOLD_: '0' };

/** Lines of output a process keeps for a report when something goes wrong. */
const KEPT_LINES = 2000;

export interface StartOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /**
   * 'prefixed': stdout dropped, stderr copied to ours with a `[name]` prefix, a failing exit reported;
   * 'capture': both kept in `output` (the last 2,000 lines), nothing printed.
   */
  output?: 'prefixed' | 'capture';
}

export interface StartedProcess {
  name: string;
  child: ChildProcess;
  /** Every line it printed (output 'capture'), the last 2,000. */
  output: string[];
  /** Resolves once it prints a line containing `text`; rejects with its last lines if it exits first or after `timeoutMs`. */
  waitForLine(text: string, timeoutMs?: number): Promise<void>;
  /** Peak RSS so far, KiB (VmHWM), or null once the process is gone. */
  peakRssKb(): number | null;
  /** CPU time it has used so far (user + system), seconds, or null once the process is gone. */
  cpuSeconds(): number | null;
  /** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` with `args`. */
export function startProcess(name: string, command: string, args: string[], options: StartOptions = {}): StartedProcess {
  const capture = options.output === 'capture';
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'] });
  const output: string[] = [];
  const watchers = new Set<(line: string) => void>();
  if (capture) {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        output.push(line);
        if (output.length > KEPT_LINES) output.shift();
        for (const watch of watchers) watch(line);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  } else {
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
    child.on('exit', (code) => {
      if (code !== null && code !== 0) process.stderr.write(`[${name}] exited with ${code}\n`);
    });
  }
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const last = () => output.slice(-20).join('\n');

  return {
    name,
    child,
    output,
    waitForLine: (text, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        if (output.some((line) => line.includes(text))) return resolve();
        const done = (error?: Error) => {
          clearTimeout(timer);
          watchers.delete(watch);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve();
        };
        const watch = (line: string) => line.includes(text) && done();
        const onExit = (code: number | null) => done(new Error(`${name} exited with ${code}:\n${last()}`));
        const timer = setTimeout(() => done(new Error(`${name} did not print '${text}' in ${timeoutMs} ms:\n${last()}`)), timeoutMs);
        watchers.add(watch);
        child.once('exit', onExit);
      }),
    peakRssKb: () => {
      if (gone() || !child.pid) return null;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : null;
    },
    cpuSeconds: () => (gone() || !child.pid ? null : cpuSecondsOf(child.pid)),
    stop: async (graceMs = 15_000) => {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/** Starts a Node script (such as API_MAIN or WORKER_MAIN: the worker in ALLOCATION_ENV) with this Node. */
export function startNode(name: string, script: string, options: StartOptions = {}): StartedProcess {
  const env = script === WORKER_MAIN ? { ...ALLOCATION_ENV, ...options.env } : options.env;
  return startProcess(name, process.execPath, [script], { ...options, env });
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** CPU time process `pid` has used (user + system), seconds; throws if it is gone. */
export function cpuSecondsOf(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat (after the command in parentheses): utime and stime in clock ticks (100 per second on Linux).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Waits until `${baseUrl}/health/ready` answers 2xx (30 s at most). */
export async function waitUntilReady(baseUrl: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not become ready on ${baseUrl}`);
}
