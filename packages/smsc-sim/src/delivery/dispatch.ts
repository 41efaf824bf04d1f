// The outbox side of delivery: receipts and MO / ESME-to-ESME messages waiting for their account, sent as deliver_sm
// round-robin over its receiver and transceiver binds (at most deliveryWindow outstanding per session), and what
// each answer does: acknowledged (an MO is then delivered), refused for good (an MO is then undeliverable), or
// queued again deliveryRetryMs later (at once when the bind closed). Receipts get their outbox row at their first
// outcome (store/message-store.ts); until then they are kept here by message id for the admin API.
// The scheduler (delivery.ts) owns one Dispatcher and is its DispatchHost: it finalizes messages and runs a tick
// once a pending commit is in.
import { CommandStatus, InterfaceVersion, type Pdu } from '@smppkit/core';
import type { StateName } from '../config/types.js';
import type { MessageStore } from '../store/message-store.js';
import type { MessageRecord, OutboxItem, OutboxKind } from '../store/record.js';
import type { Logger } from '../util/logger.js';
import { OutboxQueue } from './outbox-queue.js';
import { messagePdu, receiptPdu } from './receipts.js';
import { type Receiver, Receivers } from './receivers.js';

export interface DispatchDeps {
  store: Pick<MessageStore, 'committedThrough' | 'enqueueOutbox' | 'setOutboxStatus' | 'get'>;
  metrics: {
    receiptAcked(latencyMs: number): void;
    /** an implicit transition planned (1) or dropped before its time (-1): counted when its time comes */
    implicitTransition(at: number, state: StateName, delta: 1 | -1): void;
    /** a message entered a state without a store write (an implicit transition whose time came) */
    stateEntered(state: StateName): void;
    /** every message forgotten: no planned implicit transition will happen */
    forgetPlanned(): void;
  };
  log: Logger;
  /** deliver_sm outstanding per session at most */
  deliveryWindow: number;
  /** a deliver_sm not acknowledged within this is sent again */
  deliveryRetryMs: number;
}

/** An outbox item and, for a receipt, the message record it reports on when held in memory. */
type Item = OutboxItem & { rec?: MessageRecord };
export type Finalizable = Pick<MessageRecord, 'id' | 'registeredDelivery' | 'systemId' | 'direction'>;

/** What the dispatcher needs of the scheduler that owns it. */
export interface DispatchHost {
  /** Moves a message to a final state (an MO acknowledged or refused). */
  finalize(rec: Finalizable, state: StateName, err: number, now: number, detail: string, full?: MessageRecord): void;
  /** Runs a tick once the pending commit is in (an item waits for its message to be stored). */
  tickAfterCommit(): void;
}

export class Dispatcher {
  /** items waiting to be sent, per account (the scheduler reads its size and releases items come due) */
  readonly queue = new OutboxQueue<Item>();
  private readonly inflight = new Map<number, Item>();
  /** receipts without their outbox row yet (no outcome so far), by message id: for the admin API */
  private readonly unstored = new Map<number, Item>();
  private readonly receivers: Receivers;
  private kicked = false;
  private stopped = false;
  private rr = 0;

  constructor(
    private readonly deps: DispatchDeps,
    private readonly host: DispatchHost,
  ) {
    this.receivers = new Receivers(deps.deliveryWindow);
  }

  enqueue(kind: OutboxKind, messageId: number, systemId: string, dueAt: number, rec?: MessageRecord): void {
    const item: Item = this.deps.store.enqueueOutbox(kind, messageId, systemId, dueAt);
    if (rec) item.rec = rec;
    if (!item.stored) this.unstored.set(messageId, item);
    this.queue.push(item, Date.now());
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

  addReceiver(r: Receiver): void {
    this.receivers.add(r);
    this.kick();
  }

  removeReceiver(r: Receiver): void {
    // in-flight requests of the closed session are rejected by the session and come back through retry()
    this.receivers.remove(r);
  }

  /** A message whose insert failed: no receipt is owed for it. */
  forget(messageId: number): void {
    this.unstored.delete(messageId);
  }

  /** A receipt owed for the message that has no outbox row yet (queued, or sent and not answered). */
  unstoredReceipt(messageId: number): OutboxItem | undefined {
    return this.unstored.get(messageId);
  }

  /** DELETE /api/messages: nothing owed any more. */
  clear(): void {
    this.unstored.clear();
    // a deliver_sm in flight that comes back for a retry reads its (deleted) message again
    for (const it of this.inflight.values()) it.rec = undefined;
    this.queue.clear();
  }

  /** Writes an item's status; a receipt's first outcome gives it its row. */
  private outcome(item: Item): void {
    if (!item.stored && this.unstored.get(item.messageId) === item) this.unstored.delete(item.messageId);
    this.deps.store.setOutboxStatus(item);
  }

  dispatch(): void {
    if (this.stopped) return;
    const committed = this.deps.store.committedThrough;
    for (const [systemId, q] of this.queue.accounts()) {
      if (q.size === 0) continue;
      const conns = this.receivers.ready(systemId);
      while (conns.length > 0 && q.size > 0) {
        // a delivery of a message not stored yet (an ESME-to-ESME message just accepted) waits for its commit
        if (q.peek()!.messageId > committed) {
          this.host.tickAfterCommit();
          break;
        }
        const i = this.rr++ % conns.length;
        const conn = conns[i];
        if (!this.receivers.hasRoom(conn)) {
          conns.splice(i, 1);
          continue;
        }
        this.send(this.queue.take(q), conn);
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
      else this.host.finalize(rec, 'DELIVERED', 0, now, `delivered to ${by}`, rec);
    } else if (status === CommandStatus.ESME_RX_P_APPN || status === CommandStatus.ESME_RX_R_APPN) {
      // the ESME refuses it for good
      item.status = 'failed';
      item.rec = undefined;
      this.outcome(item);
      if (item.kind === 'mo')
        this.host.finalize(
          rec,
          'UNDELIVERABLE',
          status & 0xff,
          now,
          `refused by ${by} (status 0x${status.toString(16)})`,
        );
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
    this.queue.push(item, Date.now());
  }

  stop(): void {
    this.stopped = true;
  }
}
