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
 * The environment allocation runs in (the worker, and the allocation benchmark): glibc's allocator
 * settings. By default glibc raises its mmap threshold as large blocks are freed (up to 32 MB), so
 * large typed arrays come from each thread's own heap and stay there once freed; with a helper
 * thread solving products, the province benchmark's peak was 0.76–0.98 GB (13 runs, 2026-12-03)
 * and has been over 1 GB. A fixed threshold of 512 KB keeps the blocks of 512 KB and more (a
 * province's per-enterprise and per-arc arrays) in mappings of their own, given back when freed:
 * peak 0.68–0.82 GB (seven runs). The trim threshold of 64 MB keeps the top of the heap from being
 * given back and faulted in again after each free: `MALLOC_TRIM_THRESHOLD_=0` (used until
 * 2026-12-03) held the peak at 0.66–0.79 GB but cost time on the city: in 11 rounds alternated
 * with no setting its median was slower in 10 (by 0.03–0.32 s) and 0.01 s faster in one. Against
 * no setting, these settings were within 0.09 s in four of six city rounds and 0.30–0.32 s slower
 * in two rounds of a slow spell; against `MALLOC_TRIM_THRESHOLD_=0`, faster in five of six (once
 * by 0.01 s). On the province the three overlapped (17.6–25.9 s in the same rounds; the machine
 * was slow and uneven).
 */
export const ALLOCATION_ENV = { MALLOC_MMAP_THRESHOLD_: '524288', MALLOC_TRIM_THRESHOLD_: '67108864' };

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
