// pino JSON logs to stdout (or to a destination given by the embedding program).
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export function createLogger(level: string, dest?: DestinationStream): Logger {
  if (level === 'silent' && !dest) return pino({ level: 'silent' });
  // debug and trace carry the per-PDU trace: write asynchronously; the other levels log little, write at once
  const sync = level !== 'debug' && level !== 'trace';
  return pino({ name: 'smsc-sim', level, base: { pid: process.pid } }, dest ?? pino.destination({ dest: 1, sync }));
}
