import { pino, type Logger } from 'pino';

/**
 * Logs go to stderr only (stdout carries data). Log lines carry ids, paths,
 * codes and counts — never record contents.
 */
export function createLogger(level: string = process.env.DEID_LOG_LEVEL ?? 'warn'): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 2, sync: true }));
}
export type { Logger };
