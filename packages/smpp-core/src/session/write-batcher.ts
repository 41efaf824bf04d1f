// Collects the encoded PDUs produced during a turn of the event loop (or, with the session's writeTiming
// 'callback', during one callback) and hands them to the socket in one write (one syscall, one TCP segment train)
// instead of one write per PDU. Respects the socket's write buffer: once write() returns false nothing more is
// written until 'drain'; PDUs queue up here meanwhile.
// A turn that produces many PDUs (a window's worth of responses) writes every `maxBatch` of them at once instead
// of holding all until the turn ends: the peer starts on the first ones while this side produces the rest, so
// the two processes work in parallel instead of in lock-step.
// While the socket refuses more (a peer that does not read), what is pushed is copied into SPILL_BYTES chunks, not
// kept as one Buffer per PDU: 16-octet answers held one object each cost ten times their size (262,000 of them,
// 4 MiB of PDUs, took 43 MB); in chunks the memory held is what `pendingBytes` says.
// A PDU may also be written in place (reserve, then written): straight into the chunk, blocked or not, so that a
// turn's answers leave as one region of it, with no Buffer of their own and no copy into a batch.

import { Buffer } from 'node:buffer';
import type { EncodeTarget } from '../pdu-codec.js';

export interface WritableTarget {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

export type Scheduler = (fn: () => void) => void;

/** Size of the chunks PDUs are copied into while the socket refuses more. */
const SPILL_BYTES = 16 * 1024;
/**
 * Size of the chunks PDUs are written into in place while the socket takes more: a window's answers (~26 octets
 * each) fit, and a session keeps no more than this once idle (the chunk it writes into next).
 */
const PLACE_BYTES = 2048;

export class WriteBatcher implements EncodeTarget {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  /** PDUs queued since the last write (a region of the chunk holds several) */
  private queuedPdus = 0;
  private scheduled = false;
  private blocked = false;
  private stopped = false;
  /**
   * The chunk PDUs are written into (reserve) or, while blocked, copied into; chunk[regionStart..used) is not yet in
   * `queue`. What is before regionStart was handed on: never written again (the socket may still hold it).
   */
  private chunk: Buffer | null = null;
  private regionStart = 0;
  private used = 0;
  /** octets of the last reserve() not yet confirmed (written) */
  private reserved = 0;
  /** where the last reserve()'s room starts in the Buffer it returned */
  reservedAt = 0;
  /** Socket writes issued so far. */
  writes = 0;
  /** The most bytes queued here and in the target's own buffer at once (measured at each write and blocked push). */
  peakBytes = 0;

  /**
   * @param onDrained called when a wait for 'drain' ends with everything queued written and the socket
   *   accepting more (the session uses it to start reading again).
   */
  constructor(
    private readonly target: WritableTarget,
    private readonly schedule: Scheduler = setImmediate,
    private readonly onDrained?: () => void,
    private readonly maxBatch = Infinity,
    /** bytes the target holds that it has not handed on yet (a socket's writableLength) */
    private readonly targetBytes: () => number = () => 0,
  ) {}

  /** Bytes waiting to be written (batched in this turn, or held back by backpressure). */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** Buffers holding the bytes waiting (what they cost in memory besides their bytes). */
  get queuedBuffers(): number {
    return this.queue.length + (this.used > this.regionStart ? 1 : 0);
  }

  /** True while the socket's buffer is over its high-water mark and we wait for 'drain'. */
  get isBlocked(): boolean {
    return this.blocked;
  }

  push(bytes: Buffer): void {
    if (this.stopped) return;
    if (this.blocked) {
      this.pushBlocked(bytes);
      return;
    }
    this.closeRegion();
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    this.queued();
  }

  /** Room for a PDU of `size` octets, written in place: into the Buffer returned, from reservedAt; then written(). */
  reserve(size: number): Buffer {
    let c = this.chunk;
    if (c === null || this.used + size > c.length) c = this.newChunk(size, this.blocked ? SPILL_BYTES : PLACE_BYTES);
    this.reservedAt = this.used;
    this.used += size;
    this.reserved = size;
    return c;
  }

  /** The PDU of the last reserve() is written: it is queued (and leaves as a pushed one would). */
  written(): void {
    const n = this.reserved;
    this.reserved = 0;
    if (this.stopped) {
      this.used -= n;
      return;
    }
    this.queuedBytes += n;
    if (this.blocked) {
      const total = this.queuedBytes + this.targetBytes();
      if (total > this.peakBytes) this.peakBytes = total;
      return;
    }
    this.queued();
  }

  /** The PDU of the last reserve() could not be written: its room is given back. */
  cancelReserve(): void {
    this.used -= this.reserved;
    this.reserved = 0;
  }

  private queued(): void {
    if (++this.queuedPdus >= this.maxBatch) {
      this.writeQueued();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.flushScheduled);
    }
  }

  /** Write what is queued now (unless the socket asked us to wait). */
  flush(): void {
    if (this.blocked || this.stopped || (this.queue.length === 0 && this.used === this.regionStart)) return;
    this.writeQueued();
  }

  /**
   * Write whatever is queued, ignoring backpressure (the socket buffers it), and accept nothing more.
   * Used when closing: the last PDUs (e.g. unbind_resp) still go out before the socket is ended.
   */
  finish(): void {
    if (this.stopped) return;
    if (this.blocked) this.target.removeListener('drain', this.onDrain);
    this.blocked = false;
    this.stopped = true;
    if (this.queue.length > 0 || this.used > this.regionStart) this.writeQueued();
  }

  /** Drop what is queued and accept nothing more (the socket is gone). Returns the bytes dropped. */
  discard(): number {
    const dropped = this.queuedBytes;
    if (this.blocked) this.target.removeListener('drain', this.onDrain);
    this.queue = [];
    this.queuedBytes = 0;
    this.chunk = null;
    this.regionStart = this.used = 0;
    this.stopped = true;
    return dropped;
  }

  /** Copied into the spill chunk (a PDU larger than a chunk is queued as it is). */
  private pushBlocked(bytes: Buffer): void {
    const n = bytes.length;
    this.queuedBytes += n;
    const total = this.queuedBytes + this.targetBytes();
    if (total > this.peakBytes) this.peakBytes = total;
    if (n >= SPILL_BYTES) {
      this.closeRegion();
      this.queue.push(bytes);
      return;
    }
    let c = this.chunk;
    if (c === null || this.used + n > c.length) c = this.newChunk(n, SPILL_BYTES);
    bytes.copy(c, this.used);
    this.used += n;
  }

  /** A new chunk of `bytes` (what is in the current one queued first), or of `size` when that is more. */
  private newChunk(size: number, bytes: number): Buffer {
    this.closeRegion();
    this.chunk = Buffer.allocUnsafe(Math.max(size, bytes));
    this.regionStart = this.used = 0;
    return this.chunk;
  }

  /** The chunk's octets not yet queued join the queue (as one view). */
  private closeRegion(): void {
    if (this.used === this.regionStart) return;
    this.queue.push(this.chunk!.subarray(this.regionStart, this.used));
    this.regionStart = this.used;
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.flush();
    if (!this.blocked && !this.stopped && this.onDrained !== undefined) this.onDrained();
  };

  private writeQueued(): void {
    this.closeRegion();
    const queue = this.queue;
    const data = queue.length === 1 ? queue[0]! : Buffer.concat(queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.queuedPdus = 0;
    this.writes++;
    const accepted = this.target.write(data);
    const held = this.targetBytes();
    if (held > this.peakBytes) this.peakBytes = held;
    if (!accepted && !this.stopped) {
      this.blocked = true;
      this.target.once('drain', this.onDrain);
    }
  }
}
