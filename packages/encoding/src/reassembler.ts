/**
 * Reassembly of incoming concatenated messages (UDH 8-bit or 16-bit reference, or SAR TLVs).
 * Parts are keyed by originator, recipient, reference and total; they may come in any order, duplicates are
 * ignored, and parts of different messages may interleave. A completed message is remembered for
 * `duplicateWindowMs` (bounded by `maxCompleted`): a part of it arriving again (an SMSC resends a deliver_sm it
 * got no answer for) is a duplicate, reported on 'duplicate', not the first part of a second message.
 * An incomplete message expires `timeoutMs` after
 * its first part, and is then delivered as partial or dropped, as configured — with an event either way.
 * At most `maxPending` incomplete messages are held (and `maxPendingPerSource` per originator, and
 * `maxBufferedBytes` of user data): beyond that the oldest is expired early, so a peer sending only first
 * parts (or all but the last) cannot exhaust memory.
 * No timer per message: call sweep(), or start() one coarse interval.
 * One message's assembly and the message made from it are in assembly.ts; the memory of completed messages in
 * completed-messages.ts.
 */
import { EventEmitter } from 'node:events';
import { buildMessage, type Pending, type ReassembledMessage } from './assembly.js';
import { CompletedMessages } from './completed-messages.js';
import { describeDataCoding, type Ia5Meaning, type SmscDefault } from './data-coding.js';
import { fillBitsForUdh, unpackSeptets } from './pack7.js';
import { type ParsedUdh, parseUdh } from './udh.js';

export type { ReassembledMessage } from './assembly.js';

export interface IncomingPart {
  source: string;
  destination: string;
  dataCoding: number;
  /** short_message (ignored when messagePayload is given). */
  shortMessage?: Uint8Array;
  /** The message_payload TLV. */
  messagePayload?: Uint8Array;
  /** esm_class has UDHI (0x40): the user data starts with a UDH. */
  udhi?: boolean;
  /** The SAR TLVs, when the parts are tied together that way. */
  sar?: { sar_msg_ref_num: number; sar_total_segments: number; sar_segment_seqnum: number };
}

export interface DroppedMessage {
  source: string;
  destination: string;
  reference: number;
  total: number;
  received: number[];
  reason: 'timeout' | 'overflow';
}

/** A part that had already been received: of a message still being reassembled, or of one already completed. */
export interface DuplicatePart {
  source: string;
  destination: string;
  concatenation: 'udh8' | 'udh16' | 'sar';
  reference: number;
  total: number;
  sequence: number;
  of: 'pending' | 'completed';
}

export interface ReassemblerOptions {
  /** How long after its first part an incomplete message is given up (default 60 000 ms). */
  timeoutMs?: number;
  /** What happens then: deliver what arrived ('partial', default) or drop it. */
  onTimeout?: 'partial' | 'drop';
  /** Incomplete messages held at most (default 10 000); the oldest is expired early beyond that. */
  maxPending?: number;
  /** Incomplete messages held at most per originator (default: maxPending). */
  maxPendingPerSource?: number;
  /** User data octets held at most across incomplete messages (default 16 MiB); the oldest go first beyond it. */
  maxBufferedBytes?: number;
  /**
   * How long a completed concatenated message is remembered (default 600 000 ms; 0 = not at all): within it, a
   * part with the same originator, recipient, reference, total, sequence number and user data is a duplicate.
   * A part that differs starts a new message (the reference was reused).
   */
  duplicateWindowMs?: number;
  /** Completed messages remembered at most (default 10 000); the oldest is forgotten first beyond that. */
  maxCompleted?: number;
  smscDefault?: SmscDefault;
  ia5?: Ia5Meaning;
  gsmPacking?: 'unpacked' | 'packed';
  /** Injectable clock (ms). */
  now?: () => number;
}

export interface ReassemblerEvents {
  message: [ReassembledMessage];
  duplicate: [DuplicatePart];
  partial: [ReassembledMessage, 'timeout' | 'overflow'];
  dropped: [DroppedMessage];
}

export class Reassembler extends EventEmitter<ReassemblerEvents> {
  private readonly pending = new Map<string, Pending>();
  private readonly perSource = new Map<string, number>();
  private readonly timeoutMs: number;
  private readonly onTimeout: 'partial' | 'drop';
  private readonly maxPending: number;
  private readonly maxPendingPerSource: number;
  private readonly maxBufferedBytes: number;
  private buffered = 0;
  private readonly completed: CompletedMessages;
  private duplicateCount = 0;
  private readonly smscDefault: SmscDefault;
  private readonly ia5: Ia5Meaning;
  private readonly packed: boolean;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: ReassemblerOptions = {}) {
    super();
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.onTimeout = opts.onTimeout ?? 'partial';
    this.maxPending = opts.maxPending ?? 10_000;
    this.maxPendingPerSource = opts.maxPendingPerSource ?? this.maxPending;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.completed = new CompletedMessages(opts.duplicateWindowMs ?? 600_000, opts.maxCompleted ?? 10_000);
    this.smscDefault = opts.smscDefault ?? 'gsm';
    this.ia5 = opts.ia5 ?? 'ascii';
    this.packed = opts.gsmPacking === 'packed';
    this.now = opts.now ?? Date.now;
  }

  /** Incomplete messages currently held. */
  get size(): number {
    return this.pending.size;
  }

  /** Completed messages currently remembered for duplicate detection. */
  get completedSize(): number {
    return this.completed.size;
  }

  /** Parts received again (and ignored) so far. */
  get duplicates(): number {
    return this.duplicateCount;
  }

  /**
   * Adds one incoming part. Returns the whole message when this part completes it (or when it was not part
   * of a concatenated message), and emits 'message'. Throws EncodingError for an unparsable UDH or an
   * unsupported data_coding.
   */
  push(part: IncomingPart): ReassembledMessage | undefined {
    const raw = part.messagePayload ?? part.shortMessage ?? new Uint8Array(0);
    const info = describeDataCoding(part.dataCoding, this.smscDefault, this.ia5);
    let udh: ParsedUdh | undefined;
    let data: Uint8Array = raw;
    if (part.udhi) {
      udh = parseUdh(raw);
      data = raw.subarray(udh.length);
    }
    if (info.alphabet === 'gsm7' && this.packed) data = unpackSeptets(data, fillBitsForUdh(udh?.length ?? 0));

    let concatenation: Pending['concatenation'] | undefined;
    let reference = 0;
    let total = 1;
    let sequence = 1;
    if (udh?.concat) {
      concatenation = udh.concat.referenceBits === 16 ? 'udh16' : 'udh8';
      ({ reference, total, sequence } = udh.concat);
    } else if (part.sar) {
      concatenation = 'sar';
      reference = part.sar.sar_msg_ref_num;
      total = part.sar.sar_total_segments;
      sequence = part.sar.sar_segment_seqnum;
    }
    if (!concatenation || total <= 1 || sequence < 1 || sequence > total) {
      // not concatenated (or a concatenation element that cannot be honoured): the message is this part
      const msg = buildMessage(
        {
          key: '',
          source: part.source,
          destination: part.destination,
          dataCoding: part.dataCoding,
          concatenation: 'udh8',
          reference,
          total: 1,
          createdAt: 0,
          parts: [data],
          count: 1,
          bytes: 0,
          udh,
          nationalLanguage: udh?.nationalLanguage,
        },
        true,
        'none',
        this.smscDefault,
        this.ia5,
      );
      this.emit('message', msg);
      return msg;
    }

    const key = `${part.source}\u0000${part.destination}\u0000${concatenation}\u0000${reference}\u0000${total}`;
    let p = this.pending.get(key);
    if (!p) {
      if (this.completed.size > 0 && this.completed.resent(key, sequence, data, this.now())) {
        this.duplicate(part, concatenation, reference, total, sequence, 'completed');
        return undefined;
      }
      this.makeRoom(part.source);
      p = {
        key,
        source: part.source,
        destination: part.destination,
        dataCoding: part.dataCoding,
        concatenation,
        reference,
        total,
        createdAt: this.now(),
        parts: new Array(total).fill(undefined),
        count: 0,
        bytes: 0,
      };
      this.pending.set(key, p);
      this.perSource.set(part.source, (this.perSource.get(part.source) ?? 0) + 1);
    }
    if (p.parts[sequence - 1] !== undefined) {
      this.duplicate(part, concatenation, reference, total, sequence, 'pending');
      return undefined;
    }
    p.parts[sequence - 1] = Buffer.from(data);
    p.count++;
    p.bytes += data.length;
    this.buffered += data.length;
    if (udh && (!p.udh || sequence === 1)) {
      p.udh = udh;
      if (udh.nationalLanguage) p.nationalLanguage = udh.nationalLanguage;
    }
    if (p.count < p.total) {
      while (this.buffered > this.maxBufferedBytes && this.pending.size > 0) {
        this.expire(this.pending.values().next().value!, 'overflow');
      }
      return undefined;
    }
    this.forget(p);
    this.completed.remember(key, p.parts, this.now());
    const msg = buildMessage(p, true, concatenation, this.smscDefault, this.ia5);
    this.emit('message', msg);
    return msg;
  }

  /** Expires incomplete messages older than timeoutMs (and forgets completed ones past duplicateWindowMs); returns how many expired. */
  sweep(now = this.now()): number {
    this.completed.sweep(now);
    let n = 0;
    for (const p of this.pending.values()) {
      if (now - p.createdAt < this.timeoutMs) break; // insertion order = age order
      this.expire(p, 'timeout');
      n++;
    }
    return n;
  }

  /** Sweeps every `intervalMs` (default a quarter of the timeout, at most 1 s) on one unref'd timer. */
  start(intervalMs = Math.min(1000, Math.max(10, this.timeoutMs / 4))): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private makeRoom(source: string): void {
    if ((this.perSource.get(source) ?? 0) >= this.maxPendingPerSource) {
      for (const p of this.pending.values()) {
        if (p.source === source) {
          this.expire(p, 'overflow');
          break;
        }
      }
    }
    while (this.pending.size >= this.maxPending) {
      const oldest = this.pending.values().next().value;
      if (!oldest) break;
      this.expire(oldest, 'overflow');
    }
  }

  private duplicate(
    part: IncomingPart,
    concatenation: Pending['concatenation'],
    reference: number,
    total: number,
    sequence: number,
    of: DuplicatePart['of'],
  ): void {
    this.duplicateCount++;
    this.emit('duplicate', {
      source: part.source,
      destination: part.destination,
      concatenation,
      reference,
      total,
      sequence,
      of,
    });
  }

  private forget(p: Pending): void {
    this.pending.delete(p.key);
    this.buffered -= p.bytes;
    const n = (this.perSource.get(p.source) ?? 1) - 1;
    if (n <= 0) this.perSource.delete(p.source);
    else this.perSource.set(p.source, n);
  }

  private expire(p: Pending, reason: 'timeout' | 'overflow'): void {
    this.forget(p);
    if (this.onTimeout === 'partial') {
      this.emit('partial', buildMessage(p, false, p.concatenation, this.smscDefault, this.ia5), reason);
    } else {
      const received: number[] = [];
      p.parts.forEach((d, i) => d && received.push(i + 1));
      this.emit('dropped', {
        source: p.source,
        destination: p.destination,
        reference: p.reference,
        total: p.total,
        received,
        reason,
      });
    }
  }
}
