// pino JSON logs to stdout. An embedding program that wants them elsewhere passes its own logger (StartOptions.logger).
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  if (level === 'silent') return pino({ level: 'silent' });
  // debug and trace carry the per-PDU trace: write asynchronously; the other levels log little, write at once
  const sync = level !== 'debug' && level !== 'trace';
  return pino({ name: 'smsc-sim', level, base: { pid: process.pid } }, pino.destination({ dest: 1, sync }));
}
