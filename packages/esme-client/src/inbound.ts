// What the SMSC sends the client unasked, on any of its links. deliver_sm / data_sm: a delivery receipt is
// acknowledged and goes to the receipt matcher (receipt-matcher.ts), out as 'partReceipt' and, when it completes a
// message, 'receipt'; a mobile-originated message goes to the assembler (mo.ts), out as 'message' and to every
// messages() iterator; an undecodable one is still acknowledged (the SMSC would resend it forever) and reported on
// 'error'. alert_notification: out as 'alert'. Anything else: answered ESME_RINVCMDID. Also the coarse sweep's
// reports: receipts never paired ('unmatchedReceipt'), incomplete MO messages given up (delivered as partial).
import type { RequestPdu, Session } from '@smppkit/core';
import { type ClientEventHost, emitReceipts, reportError } from './client-events.js';
import { MoAssembler, type MoMessage } from './mo.js';
import { systemClock } from './rate-limiter.js';
import type { PartReceipt, ReceiptMatcher } from './receipt-matcher.js';
import { readReceipt } from './receipt-parse.js';

export interface InboundOptions {
  reassemblyTimeoutMs: number;
  moDuplicateWindowMs: number;
  /** Receipts read lazily (the client's lazyReceipts option). */
  lazyReceipts?: boolean;
}

/** How often the client calls sweep() (ms). */
export const SWEEP_TICK_MS = 250;

export class Inbound {
  readonly mo: MoAssembler;
  private readonly iterators = new Set<(m: MoMessage | null) => void>();
  private closed = false;
  /** Receipts read and acknowledged, paired in the microtask queued at the first of them (pairBatch). */
  private batch: PartReceipt[] = [];
  /** When the receipts in `batch` were read (clock ms). */
  private batchAt = 0;
  private readonly lazy: boolean;

  constructor(
    private readonly host: ClientEventHost,
    private readonly matcher: ReceiptMatcher,
    opts: InboundOptions,
  ) {
    this.lazy = opts.lazyReceipts === true;
    this.mo = new MoAssembler({
      timeoutMs: opts.reassemblyTimeoutMs,
      duplicateWindowMs: opts.moDuplicateWindowMs,
      onDuplicate: (d, pdu) => host.emit('duplicatePart', d, pdu),
    });
  }

  onRequest(pdu: RequestPdu, session: Session): void {
    const host = this.host;
    switch (pdu.command) {
      case 'deliver_sm':
      case 'data_sm': {
        // the receipts of one read arrived together: one clock reading for them all
        const first = this.batch.length === 0;
        const at = first ? systemClock.now() : this.batchAt;
        const receipt = readReceipt(pdu, at, this.lazy);
        if (receipt) {
          session.respond(pdu);
          if (receipt === 'no-id') {
            host.logger.warn({ command: pdu.command }, 'receipt without a message id: ignored');
            return;
          }
          // Paired a microtask later: the submit_sm_resp read just before it in the same chunk (the SMSC answers
          // and reports at once) has its id added by then — its promise reaction was queued first — so the receipt
          // pairs at once instead of being held and looked at again. The receipts of one read go in one microtask
          // (queued at the first), in arrival order.
          if (first) {
            this.batchAt = at;
            queueMicrotask(this.pairBatch);
          }
          this.batch.push(receipt);
          return;
        }
        let message: MoMessage | undefined;
        try {
          message = this.mo.accept(pdu);
        } catch (err) {
          // An undecodable message is still acknowledged (the SMSC would retry forever); it is reported.
          session.respond(pdu);
          reportError(host, err as Error);
          return;
        }
        session.respond(pdu);
        if (message) this.deliver(message);
        return;
      }
      case 'alert_notification':
        host.emit('alert', pdu);
        return;
      default:
        session.respond(pdu, { command_status: 0x03 });
    }
  }

  /** Pair the receipts read since the last microtask. */
  private readonly pairBatch = (): void => {
    const batch = this.batch;
    this.batch = [];
    this.pairFrom(batch, 0);
  };

  /** Pair batch[from…]; when a listener throws (an uncaught exception, as before), the rest go on in a microtask. */
  private pairFrom(batch: PartReceipt[], from: number): void {
    let i = from;
    try {
      for (; i < batch.length; i++) this.pair(batch[i]!);
    } finally {
      const next = i + 1;
      if (next < batch.length) queueMicrotask(() => this.pairFrom(batch, next));
    }
  }

  private pair(receipt: PartReceipt): void {
    const host = this.host;
    const outcome = this.matcher.onReceipt(receipt);
    host.emit('partReceipt', receipt, outcome.kind !== 'unmatched');
    if (outcome.kind === 'complete') host.emit('receipt', outcome.result);
    const more = this.matcher.takePending();
    if (more.length > 0) emitReceipts(host, more);
  }

  /** Incoming messages as an async iterator (ends when the client closes). */
  messages(): AsyncIterableIterator<MoMessage> {
    const buffer: MoMessage[] = [];
    let waiting: ((r: IteratorResult<MoMessage>) => void) | undefined;
    let done = false;
    const push = (m: MoMessage | null) => {
      if (m === null) {
        done = true;
        if (waiting) waiting({ value: undefined, done: true });
        waiting = undefined;
        return;
      }
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value: m, done: false });
      } else buffer.push(m);
    };
    this.iterators.add(push);
    const it: AsyncIterableIterator<MoMessage> = {
      next: () => {
        if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
        if (done || this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        this.iterators.delete(push);
        done = true;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return it;
      },
    };
    return it;
  }

  private deliver(message: MoMessage): void {
    this.host.emit('message', message);
    for (const push of this.iterators) push(message);
  }

  private ticks = 0;

  /**
   * The coarse sweep, called every SWEEP_TICK_MS: every second the matcher's late pairs and unpaired receipts and
   * the assembler's partials; on every tick while the matcher is still learning the link's id form (the receipts
   * waiting for it are paired once their grace period passes, so the form is learned sooner and less is held).
   */
  sweep(): void {
    if (++this.ticks % (1000 / SWEEP_TICK_MS) !== 0 && !this.matcher.learning) return;
    const { outcomes, orphans } = this.matcher.sweep();
    emitReceipts(this.host, outcomes);
    for (const r of orphans) {
      this.host.logger.warn(
        { id: r.id, stat: r.stat, reason: r.unmatchedReason },
        'receipt not paired with any submit',
      );
      this.host.emit('unmatchedReceipt', r, r.unmatchedReason ?? 'unknown');
    }
    for (const m of this.mo.sweep()) this.deliver(m);
  }

  /** The client is closing: an iterator with nothing buffered ends now (messages still arriving are delivered). */
  closing(): void {
    this.closed = true;
  }

  /** The client is closed: every iterator ends. */
  end(): void {
    for (const push of this.iterators) push(null);
    this.iterators.clear();
  }
}
