// The delivery scheduler, driven by the simulator's one sweep:
//  - due transitions: a message reaches its planned outcome (store/lifecycle.ts planOutcome) at its due time;
//  - the outbox: receipts and MO / ESME-to-ESME messages, sent as deliver_sm to a receiver or transceiver bind of
//    the target account; queued while none is bound, re-sent when not acknowledged.
// It sees the store, the metrics and the log through the narrow DeliveryDeps, and receivers through Receiver.
import { CommandStatus, InterfaceVersion, type Pdu } from '@smppkit/core';
import type { StateName } from '../config/types.js';
import { asksForReceipt, needsAction, wantsReceipt } from '../store/lifecycle.js';
import type { MessageStore } from '../store/message-store.js';
import type { MessageRecord, OutboxItem, OutboxKind } from '../store/record.js';
import type { Logger } from '../util/logger.js';
import { MinHeap } from '../util/min-heap.js';
import { OutboxQueue } from './outbox-queue.js';
import { messagePdu, receiptPdu } from './receipts.js';
import { type Receiver, Receivers } from './receivers.js';

export interface DeliveryDeps {
  store: Pick<
    MessageStore,
    | 'committedThrough'
    | 'pendingTransitions'
    | 'openOutbox'
    | 'afterCommit'
    | 'setState'
    | 'enqueueOutbox'
    | 'setOutboxStatus'
    | 'get'
  >;
  metrics: { receiptAcked(latencyMs: number): void };
  log: Logger;
  /** deliver_sm outstanding per session at most */
  deliveryWindow: number;
  /** a deliver_sm not acknowledged within this is sent again */
  deliveryRetryMs: number;
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

/** An outbox item and, for a receipt, the message record it reports on when held in memory. */
type Item = OutboxItem & { rec?: MessageRecord };
type Finalizable = Pick<MessageRecord, 'id' | 'registeredDelivery' | 'systemId' | 'direction'>;
type Plannable = Pick<
  MessageRecord,
  'id' | 'dueAt' | 'plannedState' | 'plannedErr' | 'registeredDelivery' | 'systemId' | 'direction' | 'deliverTo'
>;

export class Delivery {
  private readonly heap = new MinHeap<Transition>();
  /** the live transition of each pending message; heap entries not in here are stale */
  private readonly due = new Map<number, Transition>();
  private readonly outbox = new OutboxQueue<Item>();
  private readonly inflight = new Map<number, Item>();
  /** receipts without their outbox row yet (no outcome so far), by message id: for the admin API */
  private readonly unstored = new Map<number, Item>();
  private readonly receivers: Receivers;
  private kicked = false;
  /** a tick is to run once the current commit is in (transitions already due were planned) */
  private tickSoon = false;
  private stopped = false;
  private rr = 0;

  constructor(private readonly deps: DeliveryDeps) {
    this.receivers = new Receivers(deps.deliveryWindow);
  }

  /** After a restart: every planned transition and every unacknowledged outbox item, from the store. */
  recover(): void {
    for (const t of this.deps.store.pendingTransitions()) this.plan(t);
    const now = Date.now();
    for (const o of this.deps.store.openOutbox()) {
      o.status = 'queued';
      this.outbox.push(o, now);
    }
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
    };
    if (
      full &&
      asksForReceipt(rec.registeredDelivery) &&
      rec.direction === 'MT' &&
      this.due.size + this.outbox.total < HELD_RECORDS
    )
      t.rec = full;
    this.plan(t);
    if (t.at <= Date.now()) this.tickAfterCommit();
  }

  /**
   * Due already (a receipt without delay): handled right after the commit that holds the message rather than at
   * the next sweep, so receipts flow with the submits instead of in bursts. After the commit, once all its callbacks
   * have run (process.nextTick): the submit_sm_resp is queued on the session before the receipt that reports on it,
   * and both leave in the same write.
   */
  private tickAfterCommit(): void {
    if (this.tickSoon || this.stopped) return;
    this.tickSoon = true;
    this.deps.store.afterCommit(() =>
      process.nextTick(() => {
        this.tickSoon = false;
        this.tick(Date.now());
      }),
    );
  }

  private plan(t: Transition): void {
    this.due.set(t.id, t);
    this.heap.push(t);
  }

  /** The live plan of a pending message, if any. */
  planned(id: number): Transition | undefined {
    return this.due.get(id);
  }

  depth(): { receipts: number; mo: number; scheduled: number } {
    return { receipts: this.outbox.count('receipt'), mo: this.outbox.count('mo'), scheduled: this.due.size };
  }

  /**
   * Moves a message to a final state, and queues its receipt when the submitter asked for one. `full`: the
   * message's record when the caller has it (it is updated to the final state and carried to the receipt).
   */
  finalize(rec: Finalizable, state: StateName, err: number, now: number, detail: string, full?: MessageRecord): void {
    this.due.delete(rec.id);
    this.deps.store.setState(rec.id, state, err, now, detail);
    if (full) {
      full.state = state;
      full.err = err;
      full.doneAt = now;
      full.dueAt = null;
    }
    if (rec.direction === 'MT' && rec.systemId && wantsReceipt(rec.registeredDelivery, state))
      this.enqueue('receipt', rec.id, rec.systemId, now, full);
  }

  enqueue(kind: OutboxKind, messageId: number, systemId: string, dueAt: number, rec?: MessageRecord): void {
    const item: Item = this.deps.store.enqueueOutbox(kind, messageId, systemId, dueAt);
    if (rec) item.rec = rec;
    if (!item.stored) this.unstored.set(messageId, item);
    this.outbox.push(item, Date.now());
    this.kick();
  }

  /** Dispatch soon (a receiver bound, an item queued) without waiting for the sweep. */
  kick(): void {
    if (this.kicked || this.stopped) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.dispatch();
    });
  }

  tick(now: number): void {
    if (this.stopped) return;
    let n = 0;
    const committed = this.deps.store.committedThrough;
    for (let top = this.heap.peek(); top && top.at <= now && n < TRANSITIONS_PER_TICK; top = this.heap.peek(), n++) {
      // stale entry: the message was cancelled, replanned or already final
      if (this.due.get(top.id) !== top) {
        this.heap.pop();
        continue;
      }
      // its message is not stored yet (its commit is pending): nothing happens to it before; again after the commit
      if (top.id > committed) {
        this.tickAfterCommit();
        break;
      }
      this.heap.pop();
      if (top.deliverTo) {
        this.finalize(top, top.state, top.err, now, `validity ended before ${top.deliverTo} took it`, top.rec);
        continue;
      }
      // as planned in the row, which readers see from due_at on (an implicit transition): only the receipt to queue
      this.due.delete(top.id);
      if (top.direction === 'MT' && top.systemId && wantsReceipt(top.registeredDelivery, top.state)) {
        const rec = top.rec;
        // what readers of the row see now, on the held record
        if (rec) {
          rec.state = top.state;
          rec.err = top.err;
          rec.doneAt = top.at;
          rec.dueAt = null;
        }
        this.enqueue('receipt', top.id, top.systemId, now, rec);
      }
    }
    this.outbox.release(now);
    this.dispatch();
  }

  addReceiver(r: Receiver): void {
    this.receivers.add(r);
    this.kick();
  }

  connectionClosed(r: Receiver): void {
    // in-flight requests of the closed session are rejected by the session and come back through retry()
    this.receivers.remove(r);
  }

  /** Writes an item's status; a receipt's first outcome gives it its row. */
  private outcome(item: Item): void {
    if (!item.stored && this.unstored.get(item.messageId) === item) this.unstored.delete(item.messageId);
    this.deps.store.setOutboxStatus(item);
  }

  /** Messages whose insert failed (their submit was answered ESME_RSYSERR): nothing is planned or owed for them. */
  forgetMessages(ids: number[]): void {
    for (const id of ids) {
      this.due.delete(id); // its heap entry is stale from now on
      this.unstored.delete(id);
    }
  }

  /** A receipt owed for the message that has no outbox row yet (queued, or sent and not answered). */
  unstoredReceipt(messageId: number): OutboxItem | undefined {
    return this.unstored.get(messageId);
  }

  /** DELETE /api/messages: nothing planned or owed any more. */
  clear(): void {
    this.due.clear();
    this.unstored.clear();
    // a deliver_sm in flight that comes back for a retry reads its (deleted) message again
    for (const it of this.inflight.values()) it.rec = undefined;
    this.outbox.clear();
  }

  private dispatch(): void {
    if (this.stopped) return;
    const committed = this.deps.store.committedThrough;
    for (const [systemId, q] of this.outbox.accounts()) {
      if (q.size === 0) continue;
      const conns = this.receivers.ready(systemId);
      while (conns.length > 0 && q.size > 0) {
        // a delivery of a message not stored yet (an ESME-to-ESME message just accepted) waits for its commit
        if (q.peek()!.messageId > committed) {
          this.tickAfterCommit();
          break;
        }
        const i = this.rr++ % conns.length;
        const conn = conns[i];
        if (!this.receivers.hasRoom(conn)) {
          conns.splice(i, 1);
          continue;
        }
        this.send(this.outbox.take(q), conn);
      }
    }
  }

  private send(item: Item, conn: Receiver): void {
    // a receipt carries its record when held in memory; otherwise (MO, a backlog, after a restart) it is read back
    const rec = item.rec ?? this.deps.store.get(item.messageId);
    // the message was deleted (DELETE /api/messages), or an MO expired or was cancelled before anyone took it
    if (!rec || (item.kind === 'mo' && rec.state !== 'ENROUTE')) {
      item.status = 'failed';
      this.outcome(item);
      return;
    }
    const pdu =
      item.kind === 'receipt'
        ? receiptPdu(rec, conn.account!.style, conn.interfaceVersion >= InterfaceVersion.V34)
        : messagePdu(rec);
    item.status = 'sent';
    item.attempts++;
    this.inflight.set(item.id, item);
    conn.deliveriesInFlight++;
    conn.deliver(pdu).then(
      (resp) => this.answered(item, rec, conn, resp),
      (err: { code?: string }) =>
        this.retry(item, conn, err?.code ?? 'error', true, err?.code === 'CLOSED' ? 0 : undefined),
    );
  }

  private answered(item: Item, rec: MessageRecord, conn: Receiver, resp: Pdu): void {
    conn.deliveriesInFlight--;
    this.inflight.delete(item.id);
    const now = Date.now();
    const status = resp.command === 'generic_nack' ? CommandStatus.ESME_RSYSERR : resp.command_status;
    const by = conn.account?.systemId;
    if (status === 0) {
      item.status = 'acked';
      item.rec = undefined;
      this.outcome(item);
      if (item.kind === 'receipt') this.deps.metrics.receiptAcked(now - rec.submittedAt);
      else this.finalize(rec, 'DELIVERED', 0, now, `delivered to ${by}`, rec);
    } else if (status === CommandStatus.ESME_RX_P_APPN || status === CommandStatus.ESME_RX_R_APPN) {
      // the ESME refuses it for good
      item.status = 'failed';
      item.rec = undefined;
      this.outcome(item);
      if (item.kind === 'mo')
        this.finalize(rec, 'UNDELIVERABLE', status & 0xff, now, `refused by ${by} (status 0x${status.toString(16)})`);
    } else {
      this.retry(item, conn, `status 0x${status.toString(16)}`, false);
    }
    this.kick();
  }

  private retry(item: Item, conn: Receiver, why: string, countDown = true, afterMs = this.deps.deliveryRetryMs): void {
    if (countDown) {
      conn.deliveriesInFlight--;
      this.inflight.delete(item.id);
    }
    if (this.stopped) return;
    item.status = 'queued';
    item.dueAt = Date.now() + afterMs;
    this.outcome(item);
    this.deps.log.debug({ outbox: item.id, kind: item.kind, why }, 'deliver_sm will be retried');
    this.outbox.push(item, Date.now());
  }

  stop(): void {
    this.stopped = true;
  }
}
