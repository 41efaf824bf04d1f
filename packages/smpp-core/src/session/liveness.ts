// The one coarse tick of a session (no timer per request): it expires responses and window waits, closes a
// session not bound within sessionInitTimeoutMs or silent for inactivityTimeoutMs, sends enquire_link while bound
// and idle, and ends the unbind drain at its deadline. Nothing counts while reading is stopped.

import type { ResponsePdu } from '../commands.js';
import type { CloseReason } from './api.js';
import { SessionError } from './errors.js';
import type { ResolvedSessionOptions } from './options.js';
import type { FrameReader } from './reader.js';
import { isBound, type SessionState } from './states.js';
import type { Window } from './window.js';

export interface LivenessHost {
  state(): SessionState;
  /** A graceful unbind is under way: no keep-alive. */
  isUnbinding(): boolean;
  close(reason: CloseReason): void;
  /** Send enquire_link through the window. */
  enquireLink(): Promise<unknown>;
}

export class Liveness {
  private readonly handle: unknown;
  private readonly openedAt: number;
  private keepaliveInFlight = false;
  private deadlineAt = Infinity;
  private deadlinePassed: (() => void) | undefined;

  constructor(
    private readonly o: ResolvedSessionOptions,
    private readonly window: Window<ResponsePdu>,
    private readonly reader: FrameReader,
    private readonly host: LivenessHost,
  ) {
    this.openedAt = o.clock.now();
    this.handle = o.clock.setInterval(this.onTick, o.tickIntervalMs);
  }

  /** Resolves once `ms` have passed (checked by the tick) or the session stops, whichever is first. */
  deadline(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.deadlineAt = this.o.clock.now() + ms;
      this.deadlinePassed = resolve;
    });
  }

  clearDeadline(): void {
    this.deadlineAt = Infinity;
    this.deadlinePassed = undefined;
  }

  stop(): void {
    this.o.clock.clearInterval(this.handle);
    this.deadlinePassed?.();
  }

  private readonly onTick = (): void => {
    const state = this.host.state();
    if (state === 'CLOSED') return;
    const o = this.o;
    const now = o.clock.now();
    this.window.sweep(now);
    if (
      o.sessionInitTimeoutMs > 0 &&
      (state === 'OPEN' || state === 'OUTBOUND') &&
      now - this.openedAt >= o.sessionInitTimeoutMs
    ) {
      o.logger.info({ state, timeoutMs: o.sessionInitTimeoutMs }, 'not bound within the session-init timeout');
      this.host.close('session-init-timeout');
      return;
    }
    if (now >= this.deadlineAt) this.deadlinePassed?.();
    // nothing is read while paused (by the application, or because the peer does not read): neither inactivity
    // nor keep-alive apply
    if (!this.reader.reading) return;
    const idle = now - this.reader.lastReceived;
    if (o.inactivityTimeoutMs > 0 && idle >= o.inactivityTimeoutMs) {
      o.logger.info({ idleMs: idle }, 'nothing received within the inactivity timeout');
      this.host.close('inactivity');
      return;
    }
    if (
      o.enquireLinkIntervalMs > 0 &&
      idle >= o.enquireLinkIntervalMs &&
      !this.keepaliveInFlight &&
      !this.host.isUnbinding() &&
      isBound(state)
    ) {
      this.sendKeepalive();
    }
  };

  private sendKeepalive(): void {
    // Only when a window slot is free: with a full window, its responses (or their timeouts) tell us enough.
    const w = this.window;
    if (w.waiting > 0 || w.outstanding >= w.size) return;
    this.keepaliveInFlight = true;
    this.host.enquireLink().then(
      () => {
        this.keepaliveInFlight = false;
      },
      (err: unknown) => {
        this.keepaliveInFlight = false;
        if (err instanceof SessionError && err.code === 'RESPONSE_TIMEOUT') {
          this.o.logger.warn({}, 'enquire_link unanswered within the response timeout: closing');
          this.host.close('inactivity');
        }
      },
    );
  }
}
