// set_dpf and alert_notification. A submission with set_dpf = 1 whose planned outcome is an absent subscriber
// (store/lifecycle.ts isAbsentSubscriber) leaves a delivery pending flag (store/dpf-flags.ts). When the handset's
// address becomes available (admin API POST /api/alerts, `smsc-sim alert`), each flag whose failure has happened
// becomes an owed alert: one alert_notification per account and ESME address (source_addr = the handset,
// esme_addr = the submitter's source address, ms_availability_status = 0), sent once to a bound receiver or
// transceiver of that account, then forgotten. With none bound it stays owed (in the store) and goes out when one
// binds. A flag whose message did not end as an absent subscriber (cancelled, replaced, lost) is dropped.
import { InterfaceVersion, type Pdu } from '@smppkit/core';
import { type DpfFlag, DpfFlags } from '../store/dpf-flags.js';
import { isAbsentSubscriber, isPending } from '../store/lifecycle.js';
import type { MessageRecord } from '../store/record.js';
import type { SqlDatabase } from '../store/sqlite/driver.js';
import type { Logger } from '../util/logger.js';

/** A bound session an alert_notification may go to (server/connection.ts's Connection is one). */
export interface AlertReceiver {
  readonly canReceive: boolean;
  readonly account: { readonly systemId: string } | null;
  readonly interfaceVersion: number;
  readonly session: { send(pdu: Pdu): void };
}

export interface AlertResult {
  /** alert_notification sent now */
  sent: number;
  /** owed for this address to accounts with no receiver bound: sent when one binds */
  pending: number;
}

export class Alerts {
  private readonly flags: DpfFlags;

  /**
   * @param store the message store: its database holds the flags; get() reads a message as readers see it now
   * @param receivers the simulator's sessions (those bound as receiver or transceiver take alerts)
   */
  constructor(
    private readonly store: { readonly db: SqlDatabase; get(id: number): MessageRecord | undefined },
    private readonly receivers: () => Iterable<AlertReceiver>,
    private readonly metrics: { pdu(direction: 'in' | 'out', command: string, status: number): void },
    private readonly log: Logger,
  ) {
    this.flags = new DpfFlags(store.db);
  }

  /** After accept(): the flag, when the submission asked for it (set_dpf = 1) and will fail as an absent subscriber. */
  requested(rec: MessageRecord, setDpf: unknown): void {
    if (setDpf !== 1 || rec.dueAt === null || !isAbsentSubscriber(rec.plannedState, rec.plannedErr)) return;
    const full = this.flags.add({
      messageId: rec.id,
      systemId: rec.systemId,
      esmeTon: rec.sourceTon,
      esmeNpi: rec.sourceNpi,
      esmeAddr: rec.sourceAddr,
      msTon: rec.destTon,
      msNpi: rec.destNpi,
      msAddr: rec.destAddr,
      setAt: rec.dueAt,
    });
    if (full)
      this.log.warn(
        { max: this.flags.max, dropped: this.flags.dropped },
        'delivery pending flags full: the oldest was dropped',
      );
  }

  /** The handset at this address is available: the alerts owed for it, sent where a receiver is bound. */
  available(address: string, now = Date.now()): AlertResult {
    const flags = this.flags;
    const seen = new Set<string>();
    const owed: DpfFlag[] = [];
    for (const f of flags.ofAddress(address)) {
      if (f.owedAt === null) {
        if (f.setAt > now) continue; // its delivery has not failed yet
        const m = this.store.get(f.messageId);
        if (m && isPending(m.state)) continue; // replaced or rescheduled: not failed yet
        if (!m || !isAbsentSubscriber(m.state, m.err)) {
          flags.remove(f.id);
          continue;
        }
      }
      const key = `${f.systemId}\0${f.esmeTon}\0${f.esmeNpi}\0${f.esmeAddr}`;
      if (seen.has(key)) {
        flags.remove(f.id); // one alert per account and ESME address
        continue;
      }
      seen.add(key);
      if (f.owedAt === null) {
        flags.owe(f.id, now);
        f.owedAt = now;
      }
      owed.push(f);
    }
    let sent = 0;
    for (const f of owed) if (this.send(f, this.receivers())) sent++;
    const pending = owed.length - sent;
    this.log.info({ address, sent, pending }, 'handset available');
    return { sent, pending };
  }

  /** A receiver or transceiver bound: the alerts owed to its account go to it. */
  bound(r: AlertReceiver): void {
    if (!r.canReceive || !r.account) return;
    for (const f of this.flags.owed(r.account.systemId)) if (!this.send(f, [r])) return;
  }

  /** Sends the alert to the first of these receivers of its account that takes it; false when none could. */
  private send(f: DpfFlag, receivers: Iterable<AlertReceiver>): boolean {
    const pdu = {
      command: 'alert_notification',
      command_status: 0,
      source_addr_ton: f.msTon,
      source_addr_npi: f.msNpi,
      source_addr: f.msAddr,
      esme_addr_ton: f.esmeTon,
      esme_addr_npi: f.esmeNpi,
      esme_addr: f.esmeAddr,
    };
    for (const r of receivers) {
      if (!r.canReceive || r.account?.systemId !== f.systemId) continue;
      // a v3.3 peer gets no TLVs (ms_availability_status is optional; absent means available)
      const tlvs = r.interfaceVersion >= InterfaceVersion.V34 ? { tlvs: { ms_availability_status: 0 } } : {};
      try {
        r.session.send({ ...pdu, ...tlvs } as Pdu);
      } catch (e) {
        this.log.debug({ systemId: f.systemId, err: (e as Error).message }, 'alert_notification not sent');
        continue;
      }
      this.metrics.pdu('out', 'alert_notification', 0);
      this.flags.remove(f.id);
      this.log.info({ systemId: f.systemId, address: f.msAddr, esmeAddr: f.esmeAddr }, 'alert_notification sent');
      return true;
    }
    return false;
  }
}
