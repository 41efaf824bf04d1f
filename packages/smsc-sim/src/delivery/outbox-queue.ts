// The outbox in memory: items ready to send, per target account, in order (items put back unsent — refused for
// capacity, or while their session unbinds — first, by id); items not due yet (retries, scheduled deliveries) in a
// heap, moved to their account's queue when due; counts by kind for the metrics and per account (what is held in
// memory for it: the pager reads the rest from the store, outbox-pager.ts).
import type { OutboxItem, OutboxKind } from '../store/record.js';
import { Fifo } from '../util/fifo.js';
import { MinHeap } from '../util/min-heap.js';

type Queueable = Pick<OutboxItem, 'id' | 'kind' | 'systemId' | 'dueAt'>;

/** One account's items ready to send. */
export class AccountQueue<I extends Queueable> {
  private readonly fifo = new Fifo<I>();
  private readonly again = new MinHeap<{ at: number; item: I }>();
  /** this account's items in memory: ready here and waiting in the heap */
  held = 0;
  /** this account's items sent and not answered yet (not counted in held) */
  inflight = 0;

  get size(): number {
    return this.fifo.size + this.again.size;
  }

  peek(): I | undefined {
    return this.again.peek()?.item ?? this.fifo.peek();
  }

  shift(): I | undefined {
    return this.again.size > 0 ? this.again.pop()!.item : this.fifo.shift();
  }

  push(item: I): void {
    this.fifo.push(item);
  }

  pushFront(item: I): void {
    this.again.push({ at: item.id, item });
  }

  clear(): void {
    this.fifo.clear();
    while (this.again.pop()) {
      /* drop */
    }
    this.held = 0; // those in flight come back through settled()
  }
}

export class OutboxQueue<I extends Queueable> {
  private readonly ready = new Map<string, AccountQueue<I>>();
  private readonly waiting = new MinHeap<{ at: number; item: I }>();
  private queued: Record<OutboxKind, number> = { receipt: 0, mo: 0 };
  private flying = 0;

  /** the account last looked up, and its queue: a stream of one account's items looks it up once */
  private lastId: string | undefined;
  private lastQ: AccountQueue<I> | undefined;

  private of(systemId: string): AccountQueue<I> {
    if (systemId === this.lastId) return this.lastQ!;
    let q = this.ready.get(systemId);
    if (!q) {
      q = new AccountQueue();
      this.ready.set(systemId, q);
    }
    this.lastId = systemId;
    this.lastQ = q;
    return q;
  }

  push(item: I, now: number): void {
    this.queued[item.kind]++;
    const q = this.of(item.systemId);
    q.held++;
    if (item.dueAt > now) this.waiting.push({ at: item.dueAt, item });
    else q.push(item);
  }

  /** An item put back unsent: ready at once, before the account's other items. */
  pushFront(item: I): void {
    this.queued[item.kind]++;
    const q = this.of(item.systemId);
    q.held++;
    q.pushFront(item);
  }

  /** Moves the items due by now to their account's queue. */
  release(now: number): void {
    for (let w = this.waiting.peek(); w && w.at <= now; w = this.waiting.peek()) {
      this.waiting.pop();
      this.of(w.item.systemId).push(w.item);
    }
  }

  /** Each account's queue of items ready to send. */
  accounts(): IterableIterator<[string, AccountQueue<I>]> {
    return this.ready.entries();
  }

  /** Takes the first item of an account's queue (to send it). */
  take(q: AccountQueue<I>): I {
    const item = q.shift()!;
    this.queued[item.kind]--;
    q.held--;
    return item;
  }

  /** An item taken to be sent went out: in flight until settled(). */
  sent(item: I): void {
    this.of(item.systemId).inflight++;
    this.flying++;
  }

  /** An item in flight was answered, or came back unsent. */
  settled(item: I): void {
    this.of(item.systemId).inflight--;
    this.flying--;
  }

  /** items in flight, for one account or all */
  inFlight(systemId?: string): number {
    return systemId === undefined ? this.flying : (this.ready.get(systemId)?.inflight ?? 0);
  }

  count(kind: OutboxKind): number {
    return this.queued[kind];
  }

  /** the account's items in memory (ready and waiting), not those in flight */
  held(systemId: string): number {
    return this.ready.get(systemId)?.held ?? 0;
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
