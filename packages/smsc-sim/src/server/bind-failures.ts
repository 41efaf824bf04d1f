// Failed binds, throttled per source address and per system_id: the answer to the n-th failure in a row waits
// (n-1) × delayMs (at most maxDelayMs; the first is answered at once), and after lockoutAfter failures that source or
// system_id is locked out for lockoutMs: its binds are answered ESME_RBINDFAIL after maxDelayMs, without looking at
// the password, and the connection is closed after the answer (an ESME still gets a bind_resp with a status; a
// flood that reconnects for each attempt gets one per connection per maxDelayMs, its connections limited by
// limits.unboundPerSource). Failures lockoutMs old are forgotten; a successful bind
// clears its system_id's count (not its source's). Logged at most once a second per source, with a count.
import type { BindFailureConfig } from '../config/types.js';
import type { Logger } from '../util/logger.js';
import { RateLog } from './rate-log.js';

interface Entry {
  count: number;
  last: number;
  lockedUntil: number;
}

interface Failure {
  systemId: string;
  status: string;
}

/** addresses and system_ids remembered at most, each (the oldest are forgotten first) */
const KEYS_MAX = 10_000;

/** The address a peer connects from, IPv4-mapped IPv6 written as IPv4 (::ffff:1.2.3.4 is 1.2.3.4). */
export function sourceOf(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return '?';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

export class BindFailures {
  private readonly bySource = new Map<string, Entry>();
  private readonly bySystemId = new Map<string, Entry>();
  private readonly logged: RateLog<Failure>;

  constructor(
    private readonly c: BindFailureConfig,
    private readonly log: Logger,
  ) {
    this.logged = new RateLog<Failure>(
      (source, n, f, distinct, seconds) =>
        log.info(
          { remote: source, failedBinds: n, systemId: f.systemId, status: f.status },
          `${n} failed bind${n === 1 ? '' : 's'} from ${source} in the last ${seconds}s (system_id ${JSON.stringify(f.systemId)}${distinct > 1 ? ` and ${distinct - 1} other${distinct > 2 ? 's' : ''}` : ''}, last ${f.status})`,
        ),
      (f) => f.systemId,
    );
  }

  /** Is this source or system_id locked out now? (Counted and logged as a failed bind when it is.) */
  lockedOut(source: string, systemId: string, now: number): boolean {
    const locked = isLocked(this.bySource.get(source), now) || isLocked(this.bySystemId.get(systemId), now);
    if (locked) this.logged.add(source, now, { systemId, status: 'ESME_RBINDFAIL, locked out' });
    return locked;
  }

  /** Records a failed bind; returns how long its answer waits (ms). */
  failed(source: string, systemId: string, status: string, now: number): number {
    this.logged.add(source, now, { systemId, status });
    const s = this.count(this.bySource, source, now, 'source', source);
    const u = this.count(this.bySystemId, systemId, now, 'system_id', source);
    const n = Math.max(s, u);
    return Math.min(this.c.maxDelayMs, (n - 1) * this.c.delayMs);
  }

  /** How long the answer to a locked-out bind waits. */
  get maxDelayMs(): number {
    return this.c.maxDelayMs;
  }

  /** A successful bind: its system_id's failures are forgotten. */
  succeeded(systemId: string): void {
    this.bySystemId.delete(systemId);
  }

  /** On the one-second tick: the counted log lines, and entries old enough to forget. */
  second(now: number): void {
    this.logged.flush(now);
    for (const m of [this.bySource, this.bySystemId])
      for (const [k, e] of m) if (now - e.last > this.c.lockoutMs && e.lockedUntil <= now) m.delete(k);
  }

  private count(m: Map<string, Entry>, key: string, now: number, what: string, source: string): number {
    let e = m.get(key);
    if (e === undefined || (now - e.last > this.c.lockoutMs && e.lockedUntil <= now)) {
      if (e !== undefined) m.delete(key);
      else if (m.size >= KEYS_MAX) m.delete(m.keys().next().value as string);
      e = { count: 0, last: now, lockedUntil: 0 };
      m.set(key, e);
    }
    e.count++;
    e.last = now;
    if (this.c.lockoutAfter > 0 && e.count === this.c.lockoutAfter) {
      e.lockedUntil = now + this.c.lockoutMs;
      this.log.warn(
        { [what === 'source' ? 'remote' : 'systemId']: key, failedBinds: e.count, lockoutMs: this.c.lockoutMs },
        `${e.count} failed binds in a row for ${what} ${JSON.stringify(key)}${what === 'source' ? '' : ` (the last from ${source})`}: its binds are refused ESME_RBINDFAIL for ${Math.round(this.c.lockoutMs / 1000)} s`,
      );
    }
    return e.count;
  }
}

function isLocked(e: Entry | undefined, now: number): boolean {
  return e !== undefined && e.lockedUntil > now;
}
