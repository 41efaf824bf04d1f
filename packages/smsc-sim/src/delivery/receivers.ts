// Who deliver_sm can go to: receiver and transceiver binds by account (kept up to date on bind and close), each
// seen through the narrow Receiver interface (server/connection.ts's Connection is one).
import type { Pdu } from '@smppkit/core';
import type { ReceiptStyle } from '../config/types.js';
import type { DeliverSm } from './receipts.js';

export interface Receiver {
  readonly canReceive: boolean;
  /** deliver_sm sent and not yet answered */
  deliveriesInFlight: number;
  readonly account: { readonly systemId: string; readonly style: ReceiptStyle } | null;
  /** the bind's interface_version: below v3.4 the peer gets no TLVs */
  readonly interfaceVersion: number;
  deliver(pdu: DeliverSm): Promise<Pdu>;
}

/** '*' targets any bound receiver (MO in the open mode) */
export const ANY = '*';

export class Receivers {
  private readonly bound = new Map<string, Set<Receiver>>();

  constructor(private readonly window: number) {}

  add(r: Receiver): void {
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
  ready(systemId: string): Receiver[] {
    const out: Receiver[] = [];
    const sets = systemId === ANY ? [...this.bound.values()] : [this.bound.get(systemId)];
    for (const set of sets) {
      if (!set) continue;
      for (const c of set) if (this.hasRoom(c)) out.push(c);
    }
    return out;
  }

  hasRoom(r: Receiver): boolean {
    return r.canReceive && r.deliveriesInFlight < this.window;
  }
}
