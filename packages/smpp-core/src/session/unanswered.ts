// The peer's requests handed to the application and not answered yet, by sequence number, and who waits for
// there to be none (a graceful unbind waits for the application's answers before it sends unbind).
// The sequence numbers are kept in seq-table.ts's open-addressing table, not a Set: every request from the peer
// costs an add, a has and a delete, and a Set whose size swings between 0 and a window's worth per read grows and
// shrinks its table again and again (a rehash each time, in V8's runtime).
import { SeqTable } from './seq-table.js';

export class Unanswered {
  private readonly table = new SeqTable<true>();
  private emptyListeners: Array<() => void> = [];

  get size(): number {
    return this.table.size;
  }

  add(sequenceNumber: number): void {
    this.table.add(sequenceNumber, true);
  }

  has(sequenceNumber: number): boolean {
    return this.table.has(sequenceNumber);
  }

  /** Forget one (it is being answered); false when it was not there (never received, or answered already). */
  delete(sequenceNumber: number): boolean {
    if (this.table.take(sequenceNumber) === undefined) return false;
    if (this.table.size === 0) this.changed();
    return true;
  }

  /** Forget all (the session closed). */
  clear(): void {
    this.table.clear();
    this.changed();
  }

  /** Resolves once nothing is unanswered (at once when nothing is). */
  whenEmpty(): Promise<void> {
    if (this.table.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyListeners.push(resolve));
  }

  private changed(): void {
    if (this.table.size > 0 || this.emptyListeners.length === 0) return;
    const listeners = this.emptyListeners;
    this.emptyListeners = [];
    for (const l of listeners) l();
  }
}
