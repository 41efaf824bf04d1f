// What keeps one peer from costing the others their service: failed binds throttled (bind-failures.ts), connections
// not bound limited per source address (more are closed at accept, logged at most once a second per source), and
// the TurnBudget every session shares (PDUs of sessions not bound get a small share of each event-loop turn).
import { TurnBudget } from '@smppkit/core';
import type { SimConfig } from '../config/types.js';
import type { Logger } from '../util/logger.js';
import { BindFailures, sourceOf } from './bind-failures.js';
import type { Connection } from './connection.js';
import { RateLog } from './rate-log.js';

export class Guard {
  readonly bindFailures: BindFailures;
  readonly turnBudget: TurnBudget;
  /** connections not bound, per source address */
  private readonly unbound = new Map<string, number>();
  private readonly refused: RateLog<null>;
  private readonly perSource: number;

  constructor(config: Pick<SimConfig, 'security' | 'limits'>, log: Logger) {
    this.bindFailures = new BindFailures(config.security.bindFailures, log);
    this.turnBudget = new TurnBudget(config.limits.unboundPdusPerTurn);
    const max = (this.perSource = config.limits.unboundPerSource);
    this.refused = new RateLog<null>(
      (source, n, _d, _distinct, seconds) =>
        log.warn(
          { remote: source, refusedConnections: n, unboundPerSource: max },
          `${n} connection${n === 1 ? '' : 's'} from ${source} closed at accept in the last ${seconds}s: ${max} from it not bound yet (limits.unboundPerSource)`,
        ),
      () => '',
    );
  }

  /** May a connection from this address be accepted? Counted as not bound (until bound() or closed()) when it may. */
  admit(remoteAddress: string | undefined, now: number): string | null {
    const source = sourceOf(remoteAddress);
    const n = this.unbound.get(source) ?? 0;
    if (this.perSource > 0 && n >= this.perSource) {
      this.refused.add(source, now, null);
      return null;
    }
    this.unbound.set(source, n + 1);
    return source;
  }

  /** The connection is bound or closed: it no longer counts as not bound. */
  release(conn: Connection): void {
    const source = conn.unboundSource;
    if (source === null) return;
    conn.unboundSource = null;
    const n = (this.unbound.get(source) ?? 1) - 1;
    if (n > 0) this.unbound.set(source, n);
    else this.unbound.delete(source);
  }

  /** On the one-second tick: the counted log lines. */
  second(now: number): void {
    this.bindFailures.second(now);
    this.refused.flush(now);
  }
}
