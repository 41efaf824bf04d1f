// pino logs to stdout: JSON lines, or (on a terminal, or asked for) one readable line per event with its ISO time
// (pino-pretty, in this thread: no worker). An embedding program that wants them elsewhere passes its own logger
// (StartOptions.logger): pino, or any object with debug/info/warn/error (adaptLogger gives it child and setBindings).
// Passwords never reach the log, at any level: a `password` key (the decoded bind or outbind in the debug PDU trace,
// anything else that carries one) is censored by pino's redact, and the password in a bind's or outbind's hex dump
// is cut out (formatters.log, which runs only for lines that are written).
import { CommandId } from '@smppkit/core';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import pretty from 'pino-pretty';

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

/** config/types.ts LogFormat (util imports no other room) */
type LogFormat = 'auto' | 'pretty' | 'json';

/** The format 'auto' stands for here and now. */
export function resolveLogFormat(format: LogFormat, isTty = process.stdout.isTTY === true): 'pretty' | 'json' {
  return format === 'auto' ? (isTty ? 'pretty' : 'json') : format;
}

/** keys the pretty line shows in its prefix (or not at all) */
const PREFIX_KEYS = new Set(['msg', 'time', 'level', 'pid', 'hostname', 'name']);

/** `bound conn=1 systemId=acme remote="127.0.0.1:50132"`: the message, then the other keys as key=value */
function keyValues(log: Record<string, unknown>, messageKey: string): string {
  let line = String(log[messageKey] ?? '');
  for (const [k, v] of Object.entries(log)) {
    if (PREFIX_KEYS.has(k) || k === messageKey || v === undefined) continue;
    line += ` ${k}=${typeof v === 'string' && /^[\w.:/@-]+$/.test(v) ? v : JSON.stringify(v)}`;
  }
  return line;
}

/** `2026-12-01T12:00:00.000Z INFO (smsc-sim/4242): bound conn=1 systemId=acme bindType=transceiver` */
function prettyStream(destination: DestinationStream | number): DestinationStream {
  return pretty({
    destination,
    sync: true,
    // the extra keys are on the message line (keyValues), not in an object block below it
    hideObject: true,
    messageFormat: keyValues,
    translateTime: "UTC:yyyy-mm-dd'T'HH:MM:ss.l'Z'",
    colorize: destination === 1 && process.stdout.isTTY === true,
  });
}

/** `destination` replaces stdout (tests capture the lines). */
export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'auto'): Logger {
  if (level === 'silent') return pino({ level: 'silent' });
  const asPretty = destination ? format === 'pretty' : resolveLogFormat(format) === 'pretty';
  if (asPretty) return pino(options(level), prettyStream(destination ?? 1)); // for a person: written at once
  // debug and trace carry the per-PDU trace: write asynchronously; the other levels log little, write at once
  const sync = level !== 'debug' && level !== 'trace';
  if (destination) return pino(options(level), destination);
  return pino(options(level), pino.destination({ dest: 1, sync }));
}

type LogFn = (obj: object, msg?: string) => void;

/** What a logger given to the simulator must have at least (pino has it all; a console-like object will do). */
export interface MinimalLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  trace?: LogFn;
  fatal?: LogFn;
  isLevelEnabled?(level: string): boolean;
  child?(bindings: object): MinimalLogger;
  setBindings?(bindings: object): void;
  flush?(): void;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * The logger itself when it has child and setBindings (pino); otherwise a wrapper that keeps the bindings and adds
 * them to each object it passes on (a level the logger lacks goes to the nearest one it has).
 */
export function adaptLogger(log: MinimalLogger): Logger {
  if (typeof log.child === 'function' && typeof log.setBindings === 'function') return log as unknown as Logger;
  return bound(log, {}) as unknown as Logger;
}

/** What pino's redact and formatters do, for a logger that is not pino: the PDU trace's password and hex dump. */
function redacted(o: Record<string, unknown>): Record<string, unknown> {
  const pdu = o.pdu as Record<string, unknown> | undefined;
  if (typeof o.hex !== 'string' && !(pdu && typeof pdu === 'object' && 'password' in pdu)) return o;
  const out = { ...o };
  if (typeof o.hex === 'string') out.hex = redactPduHex(o.hex);
  if (pdu && typeof pdu === 'object' && 'password' in pdu) out.pdu = { ...pdu, password: REDACTED };
  return out;
}

function bound(base: MinimalLogger, bindings: Record<string, unknown>): MinimalLogger {
  let own = bindings;
  const call = (level: (typeof LEVELS)[number]) => {
    const fn = base[level] ?? (level === 'trace' ? base.debug : level === 'fatal' ? base.error : base.info);
    return (obj: object | string, msg?: string) =>
      typeof obj === 'string'
        ? fn.call(base, { ...own }, obj)
        : fn.call(base, { ...own, ...redacted(obj as Record<string, unknown>) }, msg);
  };
  return {
    trace: call('trace'),
    debug: call('debug'),
    info: call('info'),
    warn: call('warn'),
    error: call('error'),
    fatal: call('fatal'),
    isLevelEnabled: (level: string) => base.isLevelEnabled?.(level) ?? true,
    child: (more: object) => bound(base, { ...own, ...more }),
    setBindings: (more: object) => {
      own = { ...own, ...more };
    },
    flush: () => base.flush?.(),
  };
}
