// A log line per key (a source address) at most once a second, with a count: the first event is logged at once,
// those that follow within the second are counted and logged together by flush() (called on the simulator's
// one-second tick). Nothing is dropped unsaid: a flood of 26,000 failed binds a second is one line a second.

/**
 * What one line reports: the events since the last line, the last detail (e.g. its system_id), how many distinct
 * details, and the seconds the count covers (1 for the first event, else the time since the last line, rounded).
 */
export type RateLine<D> = (key: string, count: number, detail: D, distinct: number, seconds: number) => void;

interface Entry<D> {
  count: number;
  last: number;
  detail: D;
  /** distinct details (by detailKey) since the last line, up to DISTINCT_MAX */
  seen: Set<string>;
}

const DISTINCT_MAX = 100;
/** keys remembered at most (a flood from many addresses must not grow this without bound) */
const KEYS_MAX = 10_000;

export class RateLog<D> {
  private readonly entries = new Map<string, Entry<D>>();

  constructor(
    private readonly line: RateLine<D>,
    private readonly detailKey: (d: D) => string,
    private readonly everyMs = 1000,
  ) {}

  add(key: string, now: number, detail: D): void {
    const e = this.entries.get(key);
    if (e === undefined) {
      if (this.entries.size >= KEYS_MAX) this.flushOldest(now);
      this.entries.set(key, { count: 0, last: now, detail, seen: new Set() });
      this.line(key, 1, detail, 1, 1);
      return;
    }
    e.count++;
    e.detail = detail;
    if (e.seen.size < DISTINCT_MAX) e.seen.add(this.detailKey(detail));
    if (now - e.last >= this.everyMs) this.emit(key, e, now);
  }

  /** Logs the counts a second old; forgets keys quiet for a second. */
  flush(now: number): void {
    for (const [key, e] of this.entries) {
      if (now - e.last < this.everyMs) continue;
      if (e.count > 0) this.emit(key, e, now);
      else this.entries.delete(key);
    }
  }

  private emit(key: string, e: Entry<D>, now: number): void {
    this.line(key, e.count, e.detail, Math.max(1, e.seen.size), Math.max(1, Math.round((now - e.last) / 1000)));
    e.count = 0;
    e.seen.clear();
    e.last = now;
  }

  private flushOldest(now: number): void {
    const [key, e] = this.entries.entries().next().value as [string, Entry<D>];
    if (e.count > 0) this.emit(key, e, now);
    this.entries.delete(key);
  }
}
