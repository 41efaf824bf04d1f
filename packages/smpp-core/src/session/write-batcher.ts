// Collects the encoded PDUs produced during a turn of the event loop (or, with the session's writeTiming
// 'callback', during one callback) and hands them to the socket in one write (one syscall, one TCP segment train)
// instead of one write per PDU. Respects the socket's write buffer: once write() returns false nothing more is
// written until 'drain'; PDUs queue up here meanwhile.
// A turn that produces many PDUs (a window's worth of responses) writes every `maxBatch` of them at once instead
// of holding all until the turn ends: the peer starts on the first ones while this side produces the rest, so
// the two processes work in parallel instead of in lock-step.

export interface WritableTarget {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
}

export type Scheduler = (fn: () => void) => void;

export class WriteBatcher {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private scheduled = false;
  private blocked = false;
  private stopped = false;
  /** Socket writes issued so far. */
  writes = 0;

  /**
   * @param onDrained called when a wait for 'drain' ends with everything queued written and the socket
   *   accepting more (the session uses it to start reading again).
   */
  constructor(
    private readonly target: WritableTarget,
    private readonly schedule: Scheduler = setImmediate,
    private readonly onDrained?: () => void,
    private readonly maxBatch = Infinity,
  ) {}

  /** Bytes waiting to be written (batched in this turn, or held back by backpressure). */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** True while the socket's buffer is over its high-water mark and we wait for 'drain'. */
  get isBlocked(): boolean {
    return this.blocked;
  }

  push(bytes: Buffer): void {
    if (this.stopped) return;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queue.length >= this.maxBatch && !this.blocked) {
      this.writeQueued();
      return;
    }
    if (!this.scheduled && !this.blocked) {
      this.scheduled = true;
      this.schedule(this.flushScheduled);
    }
  }

  /** Write what is queued now (unless the socket asked us to wait). */
  flush(): void {
    if (this.blocked || this.stopped || this.queue.length === 0) return;
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
    if (this.queue.length > 0) this.writeQueued();
  }

  /** Drop what is queued and accept nothing more (the socket is gone). Returns the bytes dropped. */
  discard(): number {
    const dropped = this.queuedBytes;
    if (this.blocked) this.target.removeListener('drain', this.onDrain);
    this.queue = [];
    this.queuedBytes = 0;
    this.stopped = true;
    return dropped;
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
    const queue = this.queue;
    const data = queue.length === 1 ? queue[0] : Buffer.concat(queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.writes++;
    if (!this.target.write(data) && !this.stopped) {
      this.blocked = true;
      this.target.once('drain', this.onDrain);
    }
  }
}
