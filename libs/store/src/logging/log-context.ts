import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Fields every log line carries while a unit of work runs: the request id while an HTTP request
 * is handled, the queue, job name and job id while the worker processes a job. The JSON logger
 * reads it on every line, so code that logs needs no request or job handle.
 */
export type LogBindings = Readonly<Record<string, string>>;

export const logContext = new AsyncLocalStorage<LogBindings>();

/** Runs `fn` with `bindings` added to the current context (nested units keep the outer fields). */
export function withLogContext<T>(bindings: LogBindings, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...bindings }, fn);
}

export function currentLogBindings(): LogBindings {
  return logContext.getStore() ?? {};
}
