// Who deliver_sm can go to: receiver and transceiver binds by account (kept up to date on bind and close), each
// seen through the narrow Receiver interface (server/connection.ts's Connection is one), each with its delivery
// window and back-off (flow.ts), given at the bind.
import type { Pdu } from '@smppkit/core';
import type { ReceiptStyle } from '../config/types.js';
import { DeliveryFlow, type FlowInfo } from './flow.js';
import type { DeliverSm } from './receipts.js';

export interface Receiver {
  readonly id: number;
  readonly canReceive: boolean;
  /** what it shows of its delivery window and back-off: its DeliveryFlow, set when it is first added */
  flow: FlowInfo | null;
  /** deliver_sm sent and not yet answered */
  deliveriesInFlight: number;
  readonly account: { readonly systemId: string; readonly style: ReceiptStyle } | null;
  /** the bind's interface_version: below v3.4 the peer gets no TLVs */
  readonly interfaceVersion: number;
  /** sends it; `done` gets its response or why it failed (never before deliver returns) */
  deliver(pdu: DeliverSm, done: (err: Error | null, resp?: Pdu) => void): void;
  /** deliver() for a deliver_sm already encoded (receipt-pdu.ts), its sequence_number still to be written */
  deliverEncoded(bytes: Buffer, done: (err: Error | null, resp?: Pdu) => void): void;
}

/** '*' targets any bound receiver (MO in the open mode) */
export const ANY = '*';

export class Receivers {
  private readonly bound = new Map<string, Set<Receiver>>();
  /** over all sessions so far (closed ones included): the per-session counts of flow.ts */
  readonly totals = { throttled: 0, deferred: 0 };

  constructor(private readonly window: number) {}

  add(r: Receiver): void {
    // its flow stays on it, also after it was removed (answers to what was in flight still come)
    r.flow ??= new DeliveryFlow(this.window);
    const sid = r.account!.systemId;
    let set = this.bound.get(sid);
    if (!set) {
      set = new Set();
      this.bound.set(sid, set);
    }
    set.add(r);
  }

  remove(r: Receiver): void {
    const sid = r.account?.systemId;
    if (sid === undefined) return;
    const set = this.bound.get(sid);
    set?.delete(r);
    if (set && set.size === 0) this.bound.delete(sid);
  }

  /** The target account's receivers with room in their delivery window (any account's for ANY). */
  ready(systemId: string, now: number): Receiver[] {
    const out: Receiver[] = [];
    const sets = systemId === ANY ? [...this.bound.values()] : [this.bound.get(systemId)];
    for (const set of sets) {
      if (!set) continue;
      for (const c of set) if (this.hasRoom(c, now)) out.push(c);
    }
    return out;
  }

  /** Has the target account a receiver with room now? */
  anyReady(systemId: string, now: number): boolean {
    if (systemId !== ANY) {
      const set = this.bound.get(systemId);
      if (set) for (const c of set) if (this.hasRoom(c, now)) return true;
      return false;
    }
    return this.ready(ANY, now).length > 0;
  }

  /** No more deliveries to it until it binds again (false: stopped already). */
  stop(r: Receiver): boolean {
    const flow = this.flowOf(r);
    if (flow.stopped) return false;
    flow.stopped = true;
    this.remove(r);
    return true;
  }

  /** A deliver_sm it refused for capacity (flow.ts); true when this shrank its window. */
  refused(r: Receiver, sentEpoch: number, now: number): boolean {
    this.totals.throttled++;
    return this.flowOf(r).refused(sentEpoch, now);
  }

  /** A deliver_sm put back while it unbinds or after it closed. */
  deferred(r: Receiver): void {
    this.totals.deferred++;
    this.flowOf(r).deferred++;
  }

  /** the flow of a receiver added once (add() gave it its DeliveryFlow) */
  flowOf(r: Receiver): DeliveryFlow {
    return r.flow as DeliveryFlow;
  }

  /** Bound for receiving, and room in its window, not paused (flow.ts). */
  hasRoom(r: Receiver, now: number): boolean {
    return r.canReceive && (r.flow as DeliveryFlow | null)?.hasRoom(r.deliveriesInFlight, now) === true;
  }
}
