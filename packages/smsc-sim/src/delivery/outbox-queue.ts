// The outbox in memory: items ready to send, per target account, in order; items not due yet (retries, scheduled
// deliveries) in a heap, moved to their account's queue when due; counts by kind for the metrics.
import type { OutboxItem, OutboxKind } from '../store/record.js';
import { Fifo } from '../util/fifo.js';
import { MinHeap } from '../util/min-heap.js';

export class OutboxQueue<I extends Pick<OutboxItem, 'kind' | 'systemId' | 'dueAt'>> {
  private readonly ready = new Map<string, Fifo<I>>();
  private readonly waiting = new MinHeap<{ at: number; item: I }>();
  private queued: Record<OutboxKind, number> = { receipt: 0, mo: 0 };

  push(item: I, now: number): void {
    this.queued[item.kind]++;
    if (item.dueAt > now) {
      this.waiting.push({ at: item.dueAt, item });
      return;
    }
    let q = this.ready.get(item.systemId);
    if (!q) {
      q = new Fifo();
      this.ready.set(item.systemId, q);
    }
    q.push(item);
  }

  /** Moves the items due by now to their account's queue. */
  release(now: number): void {
    for (let w = this.waiting.peek(); w && w.at <= now; w = this.waiting.peek()) {
      this.waiting.pop();
      this.queued[w.item.kind]--;
      this.push(w.item, now);
    }
  }

  /** Each account's queue of items ready to send. */
  accounts(): IterableIterator<[string, Fifo<I>]> {
    return this.ready.entries();
  }

  /** Takes the first item of an account's queue (to send it). */
  take(q: Fifo<I>): I {
    const item = q.shift()!;
    this.queued[item.kind]--;
    return item;
  }

  count(kind: OutboxKind): number {
    return this.queued[kind];
  }

  get total(): number {
    return this.queued.receipt + this.queued.mo;
  }

  clear(): void {
    for (const q of this.ready.values()) q.clear();
    while (this.waiting.pop()) {
      /* drop */
    }
    this.queued = { receipt: 0, mo: 0 };
  }
}
