// The connection state machine of one bind: a transition table, the attempt counter and the back-off.
// The link (link.ts) performs the I/O; this decides what state comes next and how long to wait.
import { EventEmitter } from 'node:events';
import { type BackoffOptions, backoffDelay } from './backoff.js';

export type LinkState = 'idle' | 'connecting' | 'binding' | 'bound' | 'waiting' | 'closing' | 'closed';
export type LinkEvent = 'connect' | 'connected' | 'bound' | 'failed' | 'dropped' | 'retry' | 'close' | 'closed';

export interface ReconnectOptions extends BackoffOptions {
  /** Give up after this many consecutive failed attempts (0 = never). */
  maxAttempts?: number;
  /** Reconnect at all (default true). */
  enabled?: boolean;
}

/** state → event → next state. An event not listed for a state is ignored (stale callback). */
export const LINK_TRANSITIONS: Record<LinkState, Partial<Record<LinkEvent, LinkState>>> = {
  idle: { connect: 'connecting', close: 'closed' },
  connecting: { connected: 'binding', failed: 'waiting', close: 'closing' },
  binding: { bound: 'bound', failed: 'waiting', dropped: 'waiting', close: 'closing' },
  bound: { dropped: 'waiting', close: 'closing' },
  waiting: { retry: 'connecting', close: 'closed' },
  closing: { closed: 'closed', dropped: 'closed', failed: 'closed' },
  closed: {},
};

export class ReconnectMachine extends EventEmitter {
  state: LinkState = 'idle';
  /** Consecutive failed attempts since the last successful bind. */
  failures = 0;

  constructor(
    private readonly options: ReconnectOptions,
    private readonly random: () => number = Math.random,
  ) {
    super();
  }

  /** Apply an event; returns the new state, or null when the event does not apply to the current state. */
  fire(event: LinkEvent, detail?: unknown): LinkState | null {
    const next = LINK_TRANSITIONS[this.state][event];
    if (!next) return null;
    const prev = this.state;
    if (event === 'bound') this.failures = 0;
    if ((event === 'failed' || event === 'dropped') && next === 'waiting') this.failures++;
    this.state = next;
    this.emit('state', next, prev, detail);
    return next;
  }

  /** Whether another attempt is allowed after the failures so far. */
  get shouldRetry(): boolean {
    if (this.options.enabled === false) return false;
    const max = this.options.maxAttempts ?? 0;
    return max === 0 || this.failures < max;
  }

  /** Back-off before the next attempt (exponential in the consecutive failures, with jitter). */
  nextDelayMs(): number {
    // The first reconnect after a drop of a healthy link waits the initial delay, then grows.
    return backoffDelay(Math.max(1, this.failures), this.options, this.random);
  }
}
