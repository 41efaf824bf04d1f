// A connection's logger: its lines carry the bindings conn and remote (systemId and bindType once bound), as a
// child of the simulator's logger would, but the child is made only when the connection first writes a line at a
// level that is on. A pino child costs ~0.6 KB of heap (its bindings serialised as a chain of strings, its own
// formatters object); a bound session that logs nothing (the usual case at the info level) keeps only this object.
// isLevelEnabled answers from the simulator's logger, so asking makes no child.
import type { Logger as SessionLogger } from '@smppkit/core';
import type { Logger } from '../util/logger.js';

/** What a connection logs through (the core session's Logger, and the bindings set at bind). */
export interface ConnectionLogger extends SessionLogger {
  isLevelEnabled(level: string): boolean;
  setBindings(bindings: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** a message only when there is one (pino counts its arguments) */
function write(log: Logger, level: Level, obj: object, msg: string | undefined): void {
  if (msg === undefined) log[level](obj);
  else log[level](obj, msg);
}

export class ConnectionLog implements ConnectionLogger {
  private child: Logger | null = null;
  /** bindings set before the child was made: given to it, after the first ones, when it is */
  private more: Record<string, unknown> | null = null;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level);
  }

  setBindings(bindings: Record<string, unknown>): void {
    if (this.child) this.child.setBindings(bindings);
    else this.more = this.more ? { ...this.more, ...bindings } : bindings;
  }

  debug(obj: object, msg?: string): void {
    if (this.parent.isLevelEnabled('debug')) write(this.logger(), 'debug', obj, msg);
  }

  info(obj: object, msg?: string): void {
    if (this.parent.isLevelEnabled('info')) write(this.logger(), 'info', obj, msg);
  }

  warn(obj: object, msg?: string): void {
    if (this.parent.isLevelEnabled('warn')) write(this.logger(), 'warn', obj, msg);
  }

  error(obj: object, msg?: string): void {
    if (this.parent.isLevelEnabled('error')) write(this.logger(), 'error', obj, msg);
  }

  /** whether the child logger has been made (tests) */
  get made(): boolean {
    return this.child !== null;
  }

  private logger(): Logger {
    if (this.child === null) {
      this.child = this.parent.child(this.bindings);
      if (this.more) this.child.setBindings(this.more);
      this.more = null;
    }
    return this.child;
  }
}
