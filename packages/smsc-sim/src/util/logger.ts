// pino JSON logs to stdout. An embedding program that wants them elsewhere passes its own logger (StartOptions.logger).
// Passwords never reach the log, at any level: a `password` key (the decoded bind or outbind in the debug PDU trace,
// anything else that carries one) is censored by pino's redact, and the password in a bind's or outbind's hex dump
// is cut out (formatters.log, which runs only for lines that are written).
import { CommandId } from '@smppkit/core';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export const REDACTED = '[redacted]';

/** PDUs whose body is system_id then password, as the 8 hex digits of their command_id */
const CREDENTIAL_COMMANDS = new Set(
  [CommandId.bind_receiver, CommandId.bind_transmitter, CommandId.bind_transceiver, CommandId.outbind].map((id) =>
    id.toString(16).padStart(8, '0'),
  ),
);

/** A PDU's hex with the password (the second C-string of a bind or outbind body) replaced by REDACTED. */
export function redactPduHex(hex: string): string {
  if (!CREDENTIAL_COMMANDS.has(hex.slice(8, 16))) return hex;
  const nulFrom = (from: number): number => {
    let i = from;
    while (i < hex.length && hex.slice(i, i + 2) !== '00') i += 2;
    return i;
  };
  const start = nulFrom(32) + 2; // past the 16-byte header and system_id's NUL
  if (start > hex.length) return hex;
  return `${hex.slice(0, start)}${REDACTED}${hex.slice(nulFrom(start))}`;
}

const options = (level: string): LoggerOptions => ({
  name: 'smsc-sim',
  level,
  base: { pid: process.pid },
  redact: { paths: ['password', '*.password', '*.*.password'], censor: REDACTED },
  formatters: {
    log: (o: Record<string, unknown>) => (typeof o.hex === 'string' ? { ...o, hex: redactPduHex(o.hex) } : o),
  },
});

/** `destination` replaces stdout (tests capture the lines). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  if (level === 'silent') return pino({ level: 'silent' });
  if (destination) return pino(options(level), destination);
  // debug and trace carry the per-PDU trace: write asynchronously; the other levels log little, write at once
  const sync = level !== 'debug' && level !== 'trace';
  return pino(options(level), pino.destination({ dest: 1, sync }));
}
