// The delivery scheduler, driven by the simulator's one sweep:
//  - due transitions (here): a message reaches its planned outcome (store/lifecycle.ts planOutcome) at its due time,
//    and the receipt it owes is queued;
//  - the outbox (dispatch.ts): receipts and MO / ESME-to-ESME messages, sent as deliver_sm to a receiver or
//    transceiver bind of the target account; queued while none is bound, re-sent when not acknowledged.
// It sees the store, the metrics and the log through the narrow DeliveryDeps, and receivers through Receiver.
import type { StateName } from '../config/types.js';
import { asksForReceipt, needsAction, wantsReceipt } from '../store/lifecycle.js';
import type { MessageStore } from '../store/message-store.js';
import type { MessageRecord, OutboxItem, OutboxKind } from '../store/record.js';
import { Fifo } from '../util/fifo.js';
import { MinHeap } from '../util/min-heap.js';
import { type DispatchDeps, Dispatcher, type DispatchHost, type Finalizable } from './dispatch.js';
import type { Receiver } from './receivers.js';

export interface DeliveryDeps extends DispatchDeps {
  store: DispatchDeps['store'] & Pick<MessageStore, 'afterCommit' | 'onCommit' | 'setState'>;
}

/** transitions handled per sweep, so a burst does not stall the event loop */
const TRANSITIONS_PER_TICK = 20_000;
/**
 * Messages that may need a receipt keep their record in memory (on the transition, then on the outbox item) while
 * fewer than this many transitions and deliveries are pending, so sending a receipt reads nothing from the store.
 * Beyond it (a long backlog) the record is read back from the store when the receipt goes out: memory stays bounded.
 */
const HELD_RECORDS = 100_000;

/** A planned transition, kept in memory (and in the store's due_at / planned_state columns for restarts). */
export interface Transition {
  at: number;
  id: number;
  state: StateName;
  err: number;
  registeredDelivery: number;
  systemId: string;
  direction: 'MT' | 'MO';
  deliverTo: string | null;
  /** the message itself when a receipt may be owed (see HELD_RECORDS); kept up to date with the final state */
  rec?: MessageRecord;
}

type Plannable = Pick<
  MessageRecord,
  'id' | 'dueAt' | 'plannedState' | 'plannedErr' | 'registeredDelivery' | 'systemId' | 'direction' | 'deliverTo'
>;

export class Delivery implements DispatchHost {
  private readonly heap = new MinHeap<Transition>();
  /** implicit transitions due when planned (no delay), in the order planned: not in the heap nor in `due` (a message
   * that has reached its state cannot be replanned or cancelled; forgetMessages and clear drop them) */
  private readonly dueNow = new Fifo<Transition>();
  /** messages forgotten (their insert failed) while transitions due now may be theirs */
  private readonly forgotten = new Set<number>();
  /** the live transition of each pending message; heap entries not in here are stale */
  private readonly due = new Map<number, Transition>();
  /** the outbox and its deliver_sm in flight */
  private readonly out: Dispatcher;
  /** a tick is to run once the current commit is in (transitions already due were planned) */
  private tickSoon = false;
  private stopped = false;

  constructor(private readonly deps: DeliveryDeps) {
    this.out = new Dispatcher(deps, this);
    deps.store.onCommit(this.committed);
  }

  /**
   * After a restart: the transitions still ahead, from the store; what is owed already (unacknowledged outbox items,
   * receipts owed without a row) stays there and is read back in pages as receivers have room (outbox-pager.ts).
   */
  recover(): void {
    const now = Date.now();
    for (const t of this.deps.store.owed.plannedTransitions(now)) this.plan(t);
    this.out.pager.recover(now);
  }

  /**
   * Plans the message's move to rec.plannedState at rec.dueAt (replacing any earlier plan). `full`: the whole
   * record, held in memory for the receipt when one may be owed.
   */
  schedule(rec: Plannable, full?: MessageRecord): void {
    if (rec.dueAt === null) return;
    if (!needsAction(rec)) {
      // nothing to do when it happens: readers of the store derive it (any earlier plan is dropped)
      this.due.delete(rec.id);
      this.deps.metrics.implicitTransition(rec.dueAt, rec.plannedState, 1);
      return;
    }
    const t: Transition = {
      at: rec.dueAt,
      id: rec.id,
      state: rec.plannedState,
      err: rec.plannedErr,
      registeredDelivery: rec.registeredDelivery,
      systemId: rec.systemId,
      direction: rec.direction,
      deliverTo: rec.deliverTo,
      rec: undefined,
    };
    if (
      full &&
      asksForReceipt(rec.registeredDelivery) &&
      rec.direction === 'MT' &&
      this.due.size + this.out.queue.total < HELD_RECORDS
    )
      t.rec = full;
    if (t.at > Date.now() || t.deliverTo !== null || t.direction !== 'MT') return this.plan(t);
    this.due.delete(t.id); // an earlier plan, if any
    this.dueNow.push(t);
    if (!this.tickSoon) this.tickAfterCommit();
  }

  /**
   * Due already (a receipt without delay): handled right after the commit that holds the message rather than at
   * the next sweep, so receipts flow with the submits instead of in bursts. After the commit, once all its callbacks
   * have run (the store's onCommit listeners): the submit_sm_resp is queued on the session before the receipt that
   * reports on it, and both leave in the same write. Also asked by the dispatcher for an item whose message is not
   * stored yet. The afterCommit wait asks for the commit; a commit that wrote nothing tells no listener, so that
   * wait ticks a moment later (process.nextTick) unless the listener did.
   */
  tickAfterCommit(): void {
    if (this.tickSoon || this.stopped) return;
    this.tickSoon = true;
    this.deps.store.afterCommit(this.waited);
  }

  /** ticks run after a commit (a fallback tick of an earlier round is not needed any more) */
  private rounds = 0;
  private fallbackRound = -1;

  private readonly committed = (): void => {
    if (!this.tickSoon) return;
    this.tickSoon = false;
    this.rounds++;
    this.tick(Date.now());
  };

  private readonly waited = (): void => {
    this.fallbackRound = this.rounds;
    process.nextTick(this.fallback);
  };

  private readonly fallback = (): void => {
    if (this.fallbackRound === this.rounds) this.committed();
  };

  private plan(t: Transition): void {
    this.due.set(t.id, t);
    this.heap.push(t);
  }

  /** The live plan of a pending message, if any. */
  planned(id: number): Transition | undefined {
    return this.due.get(id);
  }

  /** Owed deliveries (in memory and in the store; not those in flight), and planned transitions. */
  depth(): { receipts: number; mo: number; scheduled: number; inStore: number } {
    const q = this.out.queue;
    const s = this.out.pager.inStore;
    return {
      receipts: q.count('receipt') + s.receipt,
      mo: q.count('mo') + s.mo,
      scheduled: this.due.size + this.dueNow.size,
      inStore: s.receipt + s.mo,
    };
  }

  /** Deliveries held in memory (queued or in flight), for one account or all; the rest wait in the store. */
  held(systemId?: string): number {
    return this.out.held(systemId);
  }

  /** deliver_sm refused ESME_RTHROTTLED/ESME_RMSGQFUL, and put back while a session unbinds, all sessions so far. */
  refusals(): { readonly throttled: number; readonly deferred: number } {
    return this.out.refusals;
  }

  /**
   * Moves a message to a final state, and queues its receipt when the submitter asked for one. `full`: the
   * message's record when the caller has it (it is updated to the final state and carried to the receipt).
   */
  finalize(rec: Finalizable, state: StateName, err: number, now: number, detail: string, full?: MessageRecord): void {
    this.due.delete(rec.id);
    if (full) this.dropPlan(full, now);
    this.deps.store.setState(rec.id, state, err, now, detail);
    if (full) {
      full.state = state;
      full.err = err;
      full.doneAt = now;
      full.dueAt = null;
    }
    if (rec.direction === 'MT' && rec.systemId && wantsReceipt(rec.registeredDelivery, state))
      this.out.enqueue('receipt', rec.id, rec.systemId, now, full, now);
  }

  /** The message's planned implicit transition will not happen (it is cancelled or replanned before its time). */
  dropPlan(rec: Plannable, now: number): void {
    if (rec.dueAt !== null && rec.dueAt > now && !needsAction(rec))
      this.deps.metrics.implicitTransition(rec.dueAt, rec.plannedState, -1);
  }

  enqueue(kind: OutboxKind, messageId: number, systemId: string, dueAt: number, rec?: MessageRecord): void {
    this.out.enqueue(kind, messageId, systemId, dueAt, rec);
  }

  tick(now: number): void {
    if (!this.stopped) this.out.kicks.dispatchAfter(this.reachDue, now);
  }

  /** The transitions due by now, in time order, and the outbox items come due (a dispatch follows: kicks.ts). */
  private readonly reachDue = (now: number): void => {
    const committed = this.deps.store.committedThrough;
    for (let n = 0; n < TRANSITIONS_PER_TICK; n++) {
      // the next due, in time order: of those due when planned (in the order planned) and of the heap
      const a = this.dueNow.peek();
      const b = this.heap.peek();
      const fromHeap = b !== undefined && b.at <= now && (a === undefined || b.at < a.at);
      const t = fromHeap ? b : a;
      if (t === undefined) break;
      // else stale: the message was cancelled, replanned or already final (or forgotten)
      const live = fromHeap ? this.due.get(t.id) === t : !(this.forgotten.size > 0 && this.forgotten.has(t.id));
      // its message is not stored yet (its commit is pending): nothing happens to it before; again after the commit
      if (live && t.id > committed) {
        this.tickAfterCommit();
        break;
      }
      if (fromHeap) this.heap.pop();
      else {
        this.dueNow.shift();
        if (this.dueNow.size === 0) this.forgotten.clear();
      }
      if (live) this.reach(t, now);
    }
    this.out.queue.release(now);
  };

  /** A planned transition's time has come. */
  private reach(t: Transition, now: number): void {
    if (t.deliverTo) {
      this.finalize(t, t.state, t.err, now, `validity ended before ${t.deliverTo} took it`, t.rec);
      return;
    }
    // as planned in the row, which readers see from due_at on (an implicit transition): only the receipt to queue
    this.due.delete(t.id);
    this.deps.metrics.stateEntered(t.state);
    if (t.direction === 'MT' && t.systemId && wantsReceipt(t.registeredDelivery, t.state)) {
      const rec = t.rec;
      // what readers of the row see now, on the held record
      if (rec) {
        rec.state = t.state;
        rec.err = t.err;
        rec.doneAt = t.at;
        rec.dueAt = null;
      }
      this.out.enqueue('receipt', t.id, t.systemId, now, rec, now);
    }
  }

  addReceiver(r: Receiver): void {
    this.out.addReceiver(r);
  }

  connectionClosed(r: Receiver): void {
    this.out.removeReceiver(r);
  }

  /** Messages whose insert failed (their submit was answered ESME_RSYSERR): nothing is planned or owed for them. */
  forgetMessages(ids: number[]): void {
    for (const id of ids) {
      this.due.delete(id); // its heap entry is stale from now on
      if (this.dueNow.size > 0) this.forgotten.add(id);
      this.out.forget(id);
    }
  }

  /** A receipt owed for the message that has no outbox row yet (queued, or sent and not answered). */
  unstoredReceipt(messageId: number): OutboxItem | undefined {
    return this.out.unstoredReceipt(messageId);
  }

  /** DELETE /api/messages: nothing planned or owed any more. */
  clear(): void {
    this.due.clear();
    this.dueNow.clear();
    this.forgotten.clear();
    this.deps.metrics.forgetPlanned();
    this.out.clear();
  }

  stop(): void {
    this.stopped = true;
    this.out.stop();
  }
}
