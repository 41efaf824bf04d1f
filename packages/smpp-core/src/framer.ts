// PduFramer: bytes in, whole PDUs out. The PDUs complete in a chunk are copied straight out of it, in runs of up to
// 8 KiB (one copy a run, each PDU a view of its run, none of the chunk); only a trailing partial PDU is kept, in one
// buffer of its declared command_length (which the maximum bounds), and filled by the next chunks. Nothing is kept
// that points into a chunk given to push(). A consumer may stop the framing after a frame (onFrame returns false):
// the octets after it are kept (copied) and framed on drain() or before the next chunk.
import { Buffer } from 'node:buffer';
import { bufferView, frameView } from './buffer-view.js';
import { SmppDecodeError } from './errors.js';
import { CommandStatus } from './status.js';

export interface PduFramerOptions {
  /** Largest command_length accepted (default 64 KiB + 16-octet header). */
  maxCommandLength?: number;
}

export const DEFAULT_MAX_COMMAND_LENGTH = 65536 + 16;

const EMPTY = Buffer.alloc(0);
/**
 * Whole frames of one chunk are copied in runs of at most this many octets (a frame larger than that is a run of
 * its own): one copy for a run, not one per frame. A frame kept then keeps its run's memory alive, as a frame
 * copied into Buffer.allocUnsafe's 8 KiB pool keeps the pool's.
 */
const RUN_BYTES = 8192;

function lengthAt(b: Buffer, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * Splits a byte stream into whole PDUs. `push()` each chunk read from the socket; `onFrame` receives each
 * complete PDU as its own Buffer (a copy: it stays valid after later pushes). When `onFrame` returns false, framing
 * stops there: the rest of the chunk is held (`held`) until drain() or the next push(). A command_length below 16 or
 * above the maximum throws a fatal SmppDecodeError (ESME_RINVCMDLEN); the framer then refuses further input.
 * If `onFrame` throws, the exception propagates out of push() and the octets after that frame are kept: the
 * next push() delivers them first.
 */
export class PduFramer {
  readonly maxCommandLength: number;
  /** returns false to stop the framing after this frame (anything else: go on) */
  private readonly onFrame: (frame: Buffer) => unknown;
  /** Bytes of an incomplete PDU: pending[0..filled). Allocated at most to the declared command_length. */
  private pending: Buffer | null = null;
  private filled = 0;
  private failed: SmppDecodeError | null = null;
  /** Octets that followed a frame whose consumer threw or stopped the framing; processed first by the next push(). */
  private backlog: Buffer | null = null;

  constructor(onFrame: (frame: Buffer) => unknown, options: PduFramerOptions = {}) {
    const max = options.maxCommandLength ?? DEFAULT_MAX_COMMAND_LENGTH;
    if (!Number.isInteger(max) || max < 16)
      throw new RangeError(`maxCommandLength must be an integer >= 16, got ${max}`);
    this.maxCommandLength = max;
    this.onFrame = onFrame;
  }

  /** Octets received but not yet emitted as a frame. */
  get buffered(): number {
    return this.filled + (this.backlog?.length ?? 0);
  }

  /** True while octets are held after a consumer stopped the framing (or threw): drain() frames them. */
  get held(): boolean {
    return this.backlog !== null;
  }

  /** Frames the octets held (as push() of an empty chunk would). */
  drain(): void {
    if (this.backlog !== null) this.push(EMPTY);
  }

  push(chunk: Buffer): void {
    if (this.failed) throw this.failed;
    let owned = false;
    if (this.backlog !== null) {
      // only after a consumer threw or stopped: not the hot path
      chunk = chunk.length === 0 ? this.backlog : Buffer.concat([this.backlog, chunk]);
      this.backlog = null;
      owned = true;
    }
    let o = 0;
    const n = chunk.length;
    if (this.filled > 0) {
      o = this.fillPending(chunk);
      if (o < 0) return; // chunk consumed, PDU still incomplete
    }
    // whole PDUs straight from the chunk: a run of them copied at once, each frame a view of the run
    while (n - o >= 4) {
      const len = lengthAt(chunk, o);
      this.checkLength(len, chunk, o, n);
      if (n - o < len) break;
      const end = this.runEnd(chunk, o, o + len, n);
      const run = Buffer.allocUnsafe(end - o);
      chunk.copy(run, 0, o, end);
      const ab = run.buffer; // once a run: each frame's view is made from it (buffer-view.ts)
      const runOffset = run.byteOffset;
      const base = o;
      while (o < end) {
        const at = o - base;
        const l = lengthAt(run, at);
        const frame = frameView(l === run.length ? run : bufferView(ab, runOffset + at, l), ab);
        o += l;
        let more: unknown;
        try {
          more = this.onFrame(frame);
        } catch (e) {
          this.stash(chunk, o, owned);
          throw e;
        }
        if (more === false) {
          this.stash(chunk, o, owned);
          return;
        }
      }
    }
    if (o < n) this.keep(chunk, o, n);
  }

  /**
   * The end of the run of whole frames from `start` (its first frame ends at `end`): those that follow while the
   * run stays within RUN_BYTES; it stops before a length the framer refuses (the loop then throws on it).
   */
  private runEnd(chunk: Buffer, start: number, end: number, n: number): number {
    while (n - end >= 4) {
      const next = lengthAt(chunk, end);
      if (next < 16 || next > this.maxCommandLength || n - end < next || end + next - start > RUN_BYTES) break;
      end += next;
    }
    return end;
  }

  /** Drops any partial PDU (e.g. when the connection closes). */
  reset(): void {
    this.backlog = null;
    this.pending = null;
    this.filled = 0;
    this.failed = null;
  }

  /** Appends to the pending partial PDU; returns the offset in chunk after a completed frame, or -1. */
  private fillPending(chunk: Buffer): number {
    let o = 0;
    // complete the 4-octet length first
    if (this.filled < 4) {
      const take = Math.min(4 - this.filled, chunk.length);
      chunk.copy(this.pending!, this.filled, 0, take);
      this.filled += take;
      o = take;
      if (this.filled < 4) return -1;
      const p = this.pending!;
      const len = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
      this.checkLength(len, p, 0, this.filled);
      if (p.length < len) {
        const grown = Buffer.allocUnsafe(len);
        p.copy(grown, 0, 0, 4);
        this.pending = grown;
      }
    }
    const p = this.pending!;
    const len = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
    const take = Math.min(len - this.filled, chunk.length - o);
    chunk.copy(p, this.filled, o, o + take);
    this.filled += take;
    o += take;
    if (this.filled < len) return -1;
    const frame = p.length === len ? p : p.subarray(0, len);
    this.pending = null;
    this.filled = 0;
    let more: unknown;
    try {
      more = this.onFrame(frame);
    } catch (e) {
      this.stash(chunk, o, false);
      throw e;
    }
    if (more === false) {
      this.stash(chunk, o, false);
      return -1;
    }
    return o;
  }

  /** Keeps chunk[o..]: a view when the chunk is the framer's own (a backlog), else a copy. */
  private stash(chunk: Buffer, o: number, owned: boolean): void {
    if (o < chunk.length) this.backlog = owned ? chunk.subarray(o) : Buffer.from(chunk.subarray(o));
  }

  private keep(chunk: Buffer, o: number, n: number): void {
    const rest = n - o;
    let size = 4;
    if (rest >= 4) size = ((chunk[o] << 24) | (chunk[o + 1] << 16) | (chunk[o + 2] << 8) | chunk[o + 3]) >>> 0;
    const p = Buffer.allocUnsafe(size);
    chunk.copy(p, 0, o, n);
    this.pending = p;
    this.filled = rest;
  }

  private checkLength(len: number, b: Buffer, o: number, n: number): void {
    if (len >= 16 && len <= this.maxCommandLength) return;
    const commandId = n - o >= 8 ? b.readUInt32BE(o + 4) : undefined;
    const sequenceNumber = n - o >= 16 ? b.readUInt32BE(o + 12) : undefined;
    this.pending = null;
    this.filled = 0;
    this.failed = new SmppDecodeError(
      len < 16
        ? `command_length ${len} is below the 16-octet header`
        : `command_length ${len} exceeds the maximum of ${this.maxCommandLength}`,
      {
        code: 'BAD_COMMAND_LENGTH',
        commandStatus: CommandStatus.ESME_RINVCMDLEN,
        fatal: true,
        commandId,
        sequenceNumber,
      },
    );
    throw this.failed;
  }
}
