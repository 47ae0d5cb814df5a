import type { LoggerService, LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { currentLogBindings } from './log-context.js';

/** Nest's level names (LOG_LEVEL) mapped to pino's. */
const PINO_LEVEL: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
/** Most to least verbose, as Nest orders them. */
const NEST_LEVELS: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * Credentials never reach a log line: requests are logged by method, route and status, never by
 * headers, and these paths are censored in case an object carrying them is ever logged.
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
];

let stdout: DestinationStream | undefined;
/** One synchronous stdout destination per process, shared by every logger built here. */
function stdoutDestination(): DestinationStream {
  stdout ??= pino.destination({ dest: 1, sync: true });
  return stdout;
}

export interface JsonLogOptions {
  /** `api` or `worker`: which process wrote the line. */
  service: string;
  /** A Nest level name, as LOG_LEVEL takes. */
  level: string;
  /** Where lines go; stdout unless a test captures them. */
  destination?: DestinationStream;
}

/**
 * One JSON object per line on stdout: ISO time, level name, the service, the current request or
 * job bindings (request id, job id), and the message.
 */
export function createPinoLogger(options: JsonLogOptions): Logger {
  return pino(
    {
      level: PINO_LEVEL[options.level as LogLevel] ?? 'info',
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogBindings() }),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination ?? stdoutDestination(),
  );
}

/**
 * Nest's LoggerService over pino, so `new Logger('Context').log(...)` anywhere in the app (the
 * problem-details filter, the allocation runner, Nest's own bootstrap lines) comes out as JSON
 * with the request or job id. Nest's lines go through a child logger so a caller lowering Nest's
 * levels (tests do) does not silence the access log.
 */
export class JsonLogger implements LoggerService {
  private readonly nest: Logger;

  constructor(readonly pino: Logger) {
    this.nest = pino.child({});
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls error(message, stack?, context?); a lone string argument is a stack if it looks like one. */
  error(message: unknown, ...params: unknown[]): void {
    const rest = [...params];
    let context: string | undefined;
    if (rest.length >= 2 && typeof rest.at(-1) === 'string') context = rest.pop() as string;
    else if (rest.length === 1 && typeof rest[0] === 'string' && !looksLikeStack(rest[0])) context = rest.pop() as string;
    const stack = typeof rest[0] === 'string' || rest[0] === undefined ? (rest.shift() as string | undefined) : undefined;
    this.emit('error', message, { ...(context ? { context } : {}), ...(stack ? { stack } : {}) }, rest);
  }

  /** Nest passes the enabled levels; the lowest one becomes the threshold of Nest's lines. */
  setLogLevels(levels: LogLevel[]): void {
    const lowest = NEST_LEVELS.find((l) => levels.includes(l));
    this.nest.level = lowest ? PINO_LEVEL[lowest] : 'silent';
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    this.emit(level, message, context ? { context } : {}, rest);
  }

  private emit(level: Level, message: unknown, fields: Record<string, unknown>, extra: unknown[]): void {
    if (!this.nest.isLevelEnabled(level)) return;
    const line = extra.length > 0 ? { ...fields, params: extra } : fields;
    if (message instanceof Error) this.nest[level]({ ...line, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.nest[level]({ ...line, ...(message as Record<string, unknown>) });
    else this.nest[level](line, String(message));
  }
}

function looksLikeStack(s: string): boolean {
  return /\n\s+at /.test(s);
}
