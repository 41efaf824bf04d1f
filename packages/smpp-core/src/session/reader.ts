// The reading half of a session: socket 'data' → PduFramer → frames → decodePdu → the sink, one PDU at a time and
// in order, and the flow control of reading. Reading stops for two reasons, each undone on its own: the
// application paused (frames already read are held back and delivered on resume), or the peer does not read what
// we write (`shouldBlock` says so after a read; `unblock()` once the writes drained).

import type { Duplex } from 'node:stream';
import type { Pdu } from '../commands.js';
import { PduFramer } from '../framer.js';
import { type DecodeOptions, decodePdu } from '../pdu-codec.js';
import type { LeniencyWarning, Strictness } from '../pdu-reader.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { ResolvedSessionOptions } from './options.js';
import { callTrace } from './trace.js';

export interface FrameSink {
  /** A decoded PDU and the frame it was decoded from (the framer's own copy: its Buffers are views into it). */
  onPdu(pdu: Pdu, frame: Buffer): void;
  /** An error of the framer (fatal SmppDecodeError) or of the decoder (SmppDecodeError, fatal or not). */
  onReadError(err: unknown): void;
  /** Lenient decoding accepted a field longer than the spec allows (called while decoding, before onPdu). */
  onLenient(warning: LeniencyWarning): void;
  /** What onPdu / onReadError threw: the rest of the read is still delivered. */
  onSinkError(err: unknown): void;
  /** The peer ended its side ('end', after a warning when it left a PDU incomplete) or the socket closed. */
  onSocketEnd(): void;
  onSocketError(err: Error): void;
  /** Asked after each read: is so much waiting to be written that we should stop reading (until unblock())? */
  shouldBlock(): boolean;
}

export class FrameReader {
  private readonly framer: PduFramer;
  /** undefined when strict: decodePdu's fastest path. */
  private decodeOptions: DecodeOptions | undefined;
  private readonly lenientOptions: DecodeOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  /** Frames read while paused, delivered on resume. */
  private inbox: Buffer[] = [];
  private inboxHead = 0;
  private isPaused = false;
  /** Reading stopped because the peer does not read what we write. */
  private isBlocked = false;
  private stopped = false;
  /** When the last bytes came in (time spent not reading does not count). */
  lastReceived: number;

  constructor(
    private readonly socket: Duplex,
    private readonly sink: FrameSink,
    private readonly o: ResolvedSessionOptions,
  ) {
    this.clock = o.clock;
    this.log = o.logger;
    this.framer = new PduFramer(
      this.onFrame,
      o.maxCommandLength === undefined ? undefined : { maxCommandLength: o.maxCommandLength },
    );
    this.lastReceived = this.clock.now();
    this.lenientOptions = { strictness: 'lenient', onLenient: (w) => sink.onLenient(w) };
    this.setStrictness(o.strictness);
    const maybeNet = socket as Duplex & { setNoDelay?: (noDelay: boolean) => unknown };
    if (typeof maybeNet.setNoDelay === 'function') maybeNet.setNoDelay(true); // the outbox batches writes itself
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', () => sink.onSocketEnd());
    socket.on('error', (err: Error) => sink.onSocketError(err));
  }

  /** How the frames read from now on are decoded (the next frame of a read already in hand included). */
  setStrictness(strictness: Strictness): void {
    this.decodeOptions = strictness === 'lenient' ? this.lenientOptions : undefined;
  }

  /** Paused by the application. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** Reading now: neither paused nor blocked (inactivity and keep-alive only count then). */
  get reading(): boolean {
    return !this.isPaused && !this.isBlocked;
  }

  /** Stop reading from the socket (TCP backpressure reaches the peer); frames already read wait for resume(). */
  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.socket.pause();
  }

  /** Deliver the frames held back, in order, until paused again or stopped; then read from the socket again. */
  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.lastReceived = this.clock.now(); // time paused is not the peer's inactivity
    while (!this.isPaused && !this.stopped && this.inboxHead < this.inbox.length) {
      this.handleSafely(this.inbox[this.inboxHead++]);
    }
    if (this.inboxHead >= this.inbox.length) {
      this.inbox = [];
      this.inboxHead = 0;
    }
    if (!this.isPaused && !this.isBlocked && !this.stopped) this.socket.resume();
  }

  /** The peer reads again (our writes drained): read again unless the application paused. */
  unblock(): void {
    if (!this.isBlocked) return;
    this.isBlocked = false;
    this.lastReceived = this.clock.now(); // time spent not reading is not the peer's inactivity
    if (!this.isPaused && !this.stopped) this.socket.resume();
  }

  /** Read and deliver nothing more; drop what is held back. */
  stop(): void {
    this.stopped = true;
    this.socket.removeListener('data', this.onData);
    this.inbox = [];
    this.inboxHead = 0;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    this.lastReceived = this.clock.now();
    try {
      this.framer.push(chunk);
    } catch (err) {
      this.sink.onReadError(err);
    }
    if (!this.isBlocked && !this.stopped && this.sink.shouldBlock()) {
      this.isBlocked = true;
      this.socket.pause();
    }
  };

  private readonly onEnd = (): void => {
    const partial = this.framer.buffered;
    if (partial > 0) this.log.warn({ bytes: partial }, 'peer closed in the middle of a PDU');
    this.sink.onSocketEnd();
  };

  private readonly onFrame = (frame: Buffer): void => {
    if (this.stopped) return;
    if (this.isPaused) {
      this.inbox.push(frame);
      return;
    }
    this.handleSafely(frame);
  };

  /** A listener of the application that throws ('state', 'unexpectedResponse', …) must not lose the rest of the read. */
  private handleSafely(frame: Buffer): void {
    try {
      this.handle(frame);
    } catch (err) {
      this.sink.onSinkError(err);
    }
  }

  private handle(frame: Buffer): void {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame, this.decodeOptions);
    } catch (err) {
      if (this.o.trace !== undefined) callTrace(this.o.trace, this.log, 'in', null, frame);
      this.sink.onReadError(err);
      return;
    }
    if (this.o.trace !== undefined) callTrace(this.o.trace, this.log, 'in', pdu, frame);
    this.sink.onPdu(pdu, frame);
  }
}
