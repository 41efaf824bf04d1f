// A double-ended queue on a growable ring buffer: O(1) push/shift/unshift, no array re-indexing on the hot path.

export class Deque<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private len = 0;

  constructor(capacity = 16) {
    this.buf = new Array(capacity);
  }

  get length(): number {
    return this.len;
  }

  push(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.buf[(this.head + this.len) % this.buf.length] = v;
    this.len++;
  }

  unshift(v: T): void {
    if (this.len === this.buf.length) this.grow();
    this.head = (this.head - 1 + this.buf.length) % this.buf.length;
    this.buf[this.head] = v;
    this.len++;
  }

  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.buf.length;
    this.len--;
    return v;
  }

  /** Empty it (keeping its capacity). */
  clear(): void {
    if (this.len === 0) return;
    this.buf.fill(undefined);
    this.head = 0;
    this.len = 0;
  }

  peek(): T | undefined {
    return this.len === 0 ? undefined : this.buf[this.head];
  }

  some(pred: (v: T) => boolean): boolean {
    for (let i = 0; i < this.len; i++) if (pred(this.buf[(this.head + i) % this.buf.length]!)) return true;
    return false;
  }

  /** Remove and return every element for which `pred` is true, keeping the order of the rest. */
  removeWhere(pred: (v: T) => boolean): T[] {
    const kept: T[] = [];
    const removed: T[] = [];
    for (let i = 0; i < this.len; i++) {
      const v = this.buf[(this.head + i) % this.buf.length]!;
      (pred(v) ? removed : kept).push(v);
    }
    this.buf = new Array(Math.max(16, kept.length * 2));
    this.head = 0;
    this.len = 0;
    for (const v of kept) this.push(v);
    return removed;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) % this.buf.length];
    this.buf = next;
    this.head = 0;
  }
}
