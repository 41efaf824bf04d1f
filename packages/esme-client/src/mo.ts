// Mobile-originated messages: deliver_sm / data_sm → decoded text, concatenated parts reassembled (any order,
// duplicates ignored and counted, also a part resent after its message completed; incomplete messages delivered
// as partial after the timeout; an undecodable one reported with its PDU and the reason).
import type { Pdu } from '@smppkit/core';
import { EsmClass } from '@smppkit/core';
import { type DuplicatePart, type ReassembledMessage, Reassembler } from '@smppkit/encoding';

/**
 * A deliver_sm / data_sm that was acknowledged (status 0, so the SMSC does not resend it forever) but cannot be
 * decoded: a UDH that runs past its data, an unsupported data_coding. Emitted on the client's 'error' event.
 */
export class UndecodableMessageError extends Error {
  readonly code = 'UNDECODABLE_MESSAGE';
  constructor(
    /** The PDU as received. */
    readonly pdu: Pdu,
    /** Why it cannot be decoded (the encoding package's words). */
    readonly reason: string,
  ) {
    const p = pdu as Pdu & { source_addr?: string; destination_addr?: string };
    super(
      `${pdu.command} from ${p.source_addr ?? '?'} to ${p.destination_addr ?? '?'} (sequence ${pdu.sequence_number}) acknowledged but not decodable: ${reason}`,
    );
    this.name = 'UndecodableMessageError';
  }
}

/** What the assembler has seen (client.moCounters). */
export interface MoCounters {
  /** Messages delivered whole. */
  complete: number;
  /** Messages delivered with parts missing (reassembly timeout or overflow). */
  partial: number;
  /** Parts received again and ignored (of a pending message, or of one completed within the duplicate window). */
  duplicates: number;
  /** PDUs acknowledged but not decodable (reported on 'error'). */
  undecodable: number;
}

export interface MoMessage {
  from: string;
  to: string;
  source_addr_ton: number;
  source_addr_npi: number;
  text: string;
  dataCoding: number;
  /** False when parts were still missing at the reassembly timeout. */
  complete: boolean;
  parts: number;
  missing: number[];
  /** The PDU that completed the message (its TLVs, service_type, …). */
  pdu: Pdu;
}

type MoPdu = Pdu & {
  source_addr: string;
  destination_addr: string;
  source_addr_ton: number;
  source_addr_npi: number;
  esm_class: number;
  data_coding: number;
  short_message?: Buffer;
  tlvs?: {
    message_payload?: Buffer;
    sar_msg_ref_num?: number;
    sar_total_segments?: number;
    sar_segment_seqnum?: number;
  };
};

export class MoAssembler {
  private readonly r: Reassembler;
  private readonly partials: MoMessage[] = [];
  private readonly lastPdu = new Map<string, MoPdu>();
  readonly counters: MoCounters = { complete: 0, partial: 0, duplicates: 0, undecodable: 0 };

  constructor(opts: {
    timeoutMs: number;
    duplicateWindowMs?: number;
    onDuplicate?: (d: DuplicatePart, pdu: Pdu) => void;
  }) {
    this.r = new Reassembler({
      timeoutMs: opts.timeoutMs,
      onTimeout: 'partial',
      now: () => performance.now(),
      ...(opts.duplicateWindowMs !== undefined ? { duplicateWindowMs: opts.duplicateWindowMs } : {}),
      maxCompleted: 10_000,
    });
    this.r.on('partial', (m) => {
      const pdu = this.lastPdu.get(this.keyOf(m.source, m.destination));
      if (pdu) this.partials.push(this.toMessage(m, pdu));
    });
    this.r.on('duplicate', (d) => {
      this.counters.duplicates++;
      if (opts.onDuplicate && this.current) opts.onDuplicate(d, this.current);
    });
  }

  /** The PDU being pushed (for the duplicate callback). */
  private current: Pdu | undefined;

  private keyOf(source: string, destination: string): string {
    return `${source}\u0000${destination}`;
  }

  private toMessage(m: ReassembledMessage, pdu: MoPdu): MoMessage {
    return {
      from: m.source,
      to: m.destination,
      source_addr_ton: pdu.source_addr_ton,
      source_addr_npi: pdu.source_addr_npi,
      text: m.text,
      dataCoding: m.dataCoding,
      complete: m.complete,
      parts: m.total,
      missing: m.missing,
      pdu,
    };
  }

  /**
   * One incoming deliver_sm / data_sm: the whole message when complete, else undefined (a part, or a duplicate).
   * Throws UndecodableMessageError (counted) when it cannot be decoded.
   */
  accept(pdu: Pdu): MoMessage | undefined {
    this.current = pdu;
    try {
      const m = this.push(pdu);
      if (m) this.counters.complete++;
      return m;
    } catch (err) {
      this.counters.undecodable++;
      throw new UndecodableMessageError(pdu, (err as Error).message);
    } finally {
      this.current = undefined;
    }
  }

  private push(pdu: Pdu): MoMessage | undefined {
    const p = pdu as MoPdu;
    const t = p.tlvs;
    const sar =
      t?.sar_msg_ref_num !== undefined && t.sar_total_segments !== undefined && t.sar_segment_seqnum !== undefined
        ? {
            sar_msg_ref_num: t.sar_msg_ref_num,
            sar_total_segments: t.sar_total_segments,
            sar_segment_seqnum: t.sar_segment_seqnum,
          }
        : undefined;
    const short = p.short_message;
    this.lastPdu.set(this.keyOf(p.source_addr, p.destination_addr), p);
    const m = this.r.push({
      source: p.source_addr,
      destination: p.destination_addr,
      dataCoding: p.data_coding ?? 0,
      ...(short && short.length > 0 ? { shortMessage: short } : {}),
      ...(t?.message_payload && (!short || short.length === 0) ? { messagePayload: t.message_payload } : {}),
      udhi: ((p.esm_class ?? 0) & EsmClass.UDHI) !== 0,
      ...(sar ? { sar } : {}),
    });
    if (!m) return undefined;
    if (this.r.size === 0) this.lastPdu.clear();
    return this.toMessage(m, p);
  }

  /** Coarse sweep: messages given up at the timeout, delivered with complete: false. */
  sweep(): MoMessage[] {
    this.r.sweep();
    if (this.r.size === 0) this.lastPdu.clear();
    this.counters.partial += this.partials.length;
    return this.partials.splice(0);
  }
}
