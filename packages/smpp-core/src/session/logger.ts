// The logging interface the session engine needs: a subset of pino's, so a pino logger (or a child of one)
// can be passed as is. The engine logs nothing per PDU above debug, and builds debug objects only when
// the logger says debug is enabled.

export type LogFn = (obj: object, msg?: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** pino: true when messages of this level are written. Absent ⇒ assumed enabled. */
  isLevelEnabled?(level: string): boolean;
}

const noop: LogFn = () => {};

export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  isLevelEnabled: () => false,
};
