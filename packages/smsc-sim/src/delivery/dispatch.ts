// The outbox side of delivery: receipts and MO / ESME-to-ESME messages waiting for their account, sent as deliver_sm
// round-robin over its receiver and transceiver binds (at most the session's delivery window outstanding, flow.ts),
// and what each answer does: acknowledged (an MO is then delivered), refused for good (an MO is then undeliverable),
// refused for capacity (ESME_RTHROTTLED, ESME_RMSGQFUL: back to the head of the queue, the session backs off),
// refused or not sent because the session unbinds or closed (ESME_RINVBNDSTS, our unbind: back to the head of the
// queue, not an attempt, for another session or the next bind), or queued again deliveryRetryMs later (any other
// status, no answer). At most deliveryQueueLimit items per account wait in memory; the rest wait in the store
// (outbox-pager.ts). Receipts get their outbox row at their first outcome (store/message-store.ts), or when they
// go to the store; until then they are kept here by message id for the admin API.
// The scheduler (delivery.ts) owns one Dispatcher and is its DispatchHost: it finalizes messages and runs a tick
// once a pending commit is in.
import { CommandStatus, type Pdu, SeqTable } from '@smppkit/core';
import type { StateName } from '../config/types.js';
import type { MessageRecord, OutboxItem, OutboxKind } from '../store/record.js';
import type { DispatchDeps } from './dispatch-deps.js';
import { Kicks } from './kicks.js';
import { OutboxPager } from './outbox-pager.js';
import { OutboxQueue } from './outbox-queue.js';
import { deliverReceipt } from './receipt-pdu.js';
import { messagePdu } from './receipts.js';
import { type Receiver, Receivers } from './receivers.js';

/** the ESME cannot take more now: its receive queue is full */
const CAPACITY = new Set<number>([CommandStatus.ESME_RTHROTTLED, CommandStatus.ESME_RMSGQFUL]);
/** our session is unbinding or closed: the deliver_sm was not sent, or its answer will not come */
const NOT_SENT = new Set(['CLOSED', 'NOT_ALLOWED']);

/**
 * An outbox item; for a receipt, the message record it reports on when held in memory (valid while gen is the
 * dispatcher's generation); once sent, the flow epoch of its session then.
 */
type Item = OutboxItem & { rec?: MessageRecord; epoch?: number; gen?: number };

export type { DispatchDeps };
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
  /** what waits in the store rather than in memory */
  readonly pager: OutboxPager;
  /** bumped by clear(): a record held by an item from before (one in flight then) is not used, it is read again */
  private generation = 0;
  /** receipts without their outbox row yet (no outcome so far), by message id, for the admin API; a SeqTable, not a
   * Map: ids are always new, and a Map's deleted entries fill its table, rehashed again and again */
  private readonly unstored = new SeqTable<Item>();
  private readonly receivers: Receivers;
  /** dispatch soon (kicks.ts) */
  readonly kicks = new Kicks(() => this.dispatch());
  private stopped = false;
  private rr = 0;

  constructor(
    private readonly deps: DispatchDeps,
    private readonly host: DispatchHost,
  ) {
    this.receivers = new Receivers(deps.deliveryWindow);
    this.pager = new OutboxPager(deps.store, deps.deliveryQueueLimit);
  }

  /** `now`: the caller's clock reading, when it has one */
  enqueue(
    kind: OutboxKind,
    messageId: number,
    systemId: string,
    dueAt: number,
    rec?: MessageRecord,
    now?: number,
  ): void {
    const item: Item = this.deps.store.enqueueOutbox(kind, messageId, systemId, dueAt);
    if (this.pager.keepsInStore(systemId, this.queue.held(systemId))) {
      this.pager.keep(item);
      return this.kick();
    }
    // every item held gets the same fields in the same order (one object shape for the hot path)
    item.rec = rec;
    item.epoch = 0;
    item.gen = this.generation;
    if (!item.stored) this.unstored.set(messageId, item);
    this.queue.push(item, now ?? Date.now());
    this.kick();
  }

  /** deliver_sm refused for capacity, and put back while a session unbinds or closed, over all sessions so far */
  get refusals(): { readonly throttled: number; readonly deferred: number } {
    return this.receivers.totals;
  }

  /** Deliveries held in memory (queued or in flight), for one account or all; the rest wait in the store. */
  held(systemId?: string): number {
    if (systemId === undefined) return this.queue.total + this.queue.inFlight();
    return this.queue.held(systemId) + this.queue.inFlight(systemId);
  }

  /** Dispatch soon (a receiver bound, an item queued) without waiting for the sweep. */
  kick(): void {
    if (!this.stopped) this.kicks.kick();
  }

  addReceiver(r: Receiver): void {
    this.receivers.add(r);
    this.kick();
  }

  removeReceiver(r: Receiver): void {
    // in-flight requests of the closed session are rejected by the session (CLOSED) and come back through putBack()
    this.receivers.remove(r);
  }

  /** A message whose insert failed: no receipt is owed for it. */
  forget(messageId: number): void {
    this.unstored.take(messageId);
  }

  /** A receipt owed for the message that has no outbox row yet (queued, or sent and not answered). */
  unstoredReceipt(messageId: number): OutboxItem | undefined {
    return this.unstored.get(messageId);
  }

  /** DELETE /api/messages: nothing owed any more. */
  clear(): void {
    this.unstored.clear();
    // a deliver_sm in flight that comes back for a retry reads its (deleted) message again
    this.generation++;
    this.queue.clear();
    this.pager.clear();
  }

  /** Writes an item's status; a receipt's first outcome gives it its row. */
  private outcome(item: Item): void {
    if (!item.stored && this.unstored.get(item.messageId) === item) this.unstored.take(item.messageId);
    this.deps.store.setOutboxStatus(item);
  }

  /** Reads items back from the store for accounts whose queue in memory is down to half and can be sent to. */
  private pageIn(now: number): void {
    const limit = this.pager.limit;
    for (const systemId of this.pager.waiting()) {
      const held = this.queue.held(systemId);
      if (held > limit >> 1 || !this.receivers.anyReady(systemId, now)) continue;
      for (const item of this.pager.page(systemId, limit - held, now) as Item[]) {
        item.gen = this.generation;
        this.queue.push(item, now);
      }
    }
  }

  dispatch(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.pageIn(now);
    const committed = this.deps.store.committedThrough;
    for (const [systemId, q] of this.queue.accounts()) {
      if (q.size === 0) continue;
      const conns = this.receivers.ready(systemId, now);
      while (conns.length > 0 && q.size > 0) {
        // a delivery of a message not stored yet (an ESME-to-ESME message just accepted) waits for its commit
        if (q.peek()!.messageId > committed) {
          this.host.tickAfterCommit();
          break;
        }
        const i = this.rr++ % conns.length;
        const conn = conns[i];
        if (!this.receivers.hasRoom(conn, now)) {
          conns.splice(i, 1);
          continue;
        }
        this.send(this.queue.take(q), conn);
      }
    }
  }

  private send(item: Item, conn: Receiver): void {
    // a receipt carries its record when held in memory; otherwise (MO, a backlog, after a restart) it is read back
    const rec = (item.gen === this.generation ? item.rec : undefined) ?? this.deps.store.get(item.messageId);
    // the message was deleted (DELETE /api/messages), or an MO expired or was cancelled before anyone took it
    if (!rec || (item.kind === 'mo' && rec.state !== 'ENROUTE')) {
      item.status = 'failed';
      this.outcome(item);
      return;
    }
    item.status = 'sent';
    item.attempts++;
    item.epoch = this.receivers.flowOf(conn).epoch;
    this.queue.sent(item);
    conn.deliveriesInFlight++;
    const done = (err: Error | null, resp?: Pdu): void => {
      if (err === null) {
        this.answered(item, rec, conn, resp!);
        return;
      }
      const code = (err as { code?: string }).code ?? 'error';
      if (NOT_SENT.has(code)) this.putBack(item, conn, code);
      else this.retry(item, conn, code);
    };
    if (item.kind === 'receipt') deliverReceipt(conn, rec, done);
    else conn.deliver(messagePdu(rec), done);
  }

  private answered(item: Item, rec: MessageRecord, conn: Receiver, resp: Pdu): void {
    conn.deliveriesInFlight--;
    this.queue.settled(item);
    const now = Date.now();
    const status = resp.command === 'generic_nack' ? CommandStatus.ESME_RSYSERR : resp.command_status;
    const by = conn.account?.systemId;
    if (status === 0) {
      this.receivers.flowOf(conn).acked();
      item.status = 'acked';
      item.rec = undefined;
      this.outcome(item);
      if (item.kind === 'receipt') this.deps.metrics.receiptAcked(now - rec.submittedAt, now);
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
    } else if (CAPACITY.has(status)) {
      const flow = this.receivers.flowOf(conn);
      if (this.receivers.refused(conn, item.epoch ?? -1, now))
        this.deps.log.debug(
          { conn: conn.id, systemId: by, status, window: flow.window, pauseMs: flow.backoffMs },
          'deliver_sm refused for capacity: window shrunk, deliveries paused',
        );
      this.requeueFront(item);
    } else if (status === CommandStatus.ESME_RINVBNDSTS) {
      // the ESME is unbinding: it takes no deliveries on this session any more
      this.stopReceiver(conn, 'deliver_sm refused ESME_RINVBNDSTS: the ESME is unbinding');
      this.receivers.deferred(conn);
      this.requeueFront(item);
    } else {
      this.retry(item, conn, `status 0x${status.toString(16)}`, false);
    }
    // a slot is free for the next item, if any (none: no dispatch, no event-loop turn for it)
    if (this.queue.total > 0 || this.pager.holdsAny) this.kick();
  }

  /** No more deliveries to this session (it still answers those in flight); the others and the next bind get them. */
  private stopReceiver(conn: Receiver, why: string): void {
    if (this.receivers.stop(conn)) this.deps.log.info({ conn: conn.id, systemId: conn.account?.systemId }, why);
  }

  /** Our session unbinds or closed: the deliver_sm goes back unsent, for another session or the next bind. */
  private putBack(item: Item, conn: Receiver, code: string): void {
    conn.deliveriesInFlight--;
    this.queue.settled(item);
    this.receivers.deferred(conn);
    if (code === 'NOT_ALLOWED') this.stopReceiver(conn, 'deliveries stopped: the session is unbinding');
    if (this.stopped) return;
    this.requeueFront(item);
    this.kick();
  }

  /**
   * Back to the head of its account's queue, ready at once: not an attempt (the ESME did not take it, for a reason
   * that says nothing of the message), so nothing is written.
   */
  private requeueFront(item: Item): void {
    item.status = 'queued';
    item.attempts--;
    this.queue.pushFront(item);
  }

  private retry(item: Item, conn: Receiver, why: string, countDown = true): void {
    const afterMs = this.deps.deliveryRetryMs;
    if (countDown) {
      conn.deliveriesInFlight--;
      this.queue.settled(item);
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
