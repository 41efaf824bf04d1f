// The ESME client: one bind (transceiver, transmitter, receiver) or a transmitter+receiver pair, with
// flow control and retries (sender.ts), reconnection (link.ts), long messages (message-builder.ts),
// delivery receipts (receipt-matcher.ts) and mobile-originated messages (mo.ts).
import { EventEmitter } from 'node:events';
import type { Logger, Pdu, RequestPdu, Session } from '@smppkit/core';
import type { DuplicatePart } from '@smppkit/encoding';
import pino from 'pino';
import { ConfigError, SmppStatusError } from './errors.js';
import { Link, type LinkBindType, type TraceFn } from './link.js';
import {
  buildSubmit,
  buildSubmitMulti,
  type PeerCapabilities,
  type PreparedMessage,
  type SubmitMessage,
  type SubmitMultiMessage,
} from './message-builder.js';
import { MoAssembler, type MoCounters, type MoMessage } from './mo.js';
import type { NationalCode } from './national.js';
import { type ClientOptions, resolveOptions } from './options.js';
import { pduView, redactedHex } from './pdu-view.js';
import { systemClock } from './rate-limiter.js';
import {
  type LogicalReceipt,
  type MatchOutcome,
  type PartReceipt,
  ReceiptMatcher,
  type UnmatchedReason,
} from './receipt-matcher.js';
import { readReceipt } from './receipt-parse.js';
import type { LinkState } from './reconnect.js';
import { buildRetryTable, type RetryOverrides } from './retry-policy.js';
import { makeJob, type RequestFields, Sender } from './sender.js';

export interface ConnectOptions extends Partial<Omit<ClientOptions, 'retry' | 'national'>> {
  url?: string;
  /** National language shift tables outgoing text may use: 'tr', 'tr,es', ['tr', 'es'] or 'all'. */
  national?: NationalCode | 'all' | readonly NationalCode[] | string;
  /** pino (or compatible) logger; default: silent (or debug to stderr when trace is on). */
  logger?: Logger;
  /** Trace PDUs: true logs each decoded PDU and its hex at debug; or a function of your own. */
  trace?: boolean;
  traceFn?: TraceFn;
  retry?: RetryOverrides;
  /** Share a receipt matcher between clients (the Pool does). */
  matcher?: ReceiptMatcher;
}

export interface SubmitResult {
  /** One id per part, in part order. */
  messageIds: string[];
  parts: number;
  dataCoding: number;
}

export interface SubmitMultiResult {
  messageIds: string[];
  /** Destinations the SMSC refused, with the status for each. */
  unsuccessful: Array<{ destination: string; status: number; statusName: string }>;
}

export interface ClientEvents {
  state: [link: string, state: LinkState, prev: LinkState];
  bound: [link: string];
  disconnected: [link: string, reason: string];
  reconnecting: [link: string, delayMs: number, attempt: number];
  throttled: [status: number, delayMs: number];
  /** One logical result per submitted message, once every part has a final receipt. */
  receipt: [receipt: LogicalReceipt];
  /** Each part's receipt as it comes (also intermediate ones). */
  partReceipt: [receipt: PartReceipt, matched: boolean];
  /**
   * A receipt no submit could be paired with within receiptEarlyTtlMs: 'unknown' (no submit has its id),
   * 'ambiguous' (its id names several submits in different forms and the link's form was not learned), 'overflow'
   * (more receipts held than the matcher keeps). Never paired by guess, never dropped silently.
   */
  unmatchedReceipt: [receipt: PartReceipt, reason: UnmatchedReason];
  message: [message: MoMessage];
  /** A part of a concatenated MO received again (also after its message was delivered) and ignored. */
  duplicatePart: [part: DuplicatePart, pdu: Pdu];
  alert: [pdu: Pdu];
  error: [err: Error];
}

/** Connect and bind; resolves when bound (all links of a pair). */
export async function connect(url: string | ConnectOptions, extra: ConnectOptions = {}): Promise<Client> {
  const opts: ConnectOptions = typeof url === 'string' ? { ...extra, url } : { ...url, ...extra };
  const client = new Client(opts);
  await client.connect();
  return client;
}

export class Client extends EventEmitter<ClientEvents> {
  readonly options: ClientOptions;
  readonly logger: Logger;
  readonly links: Link[] = [];
  readonly sender: Sender;
  readonly matcher: ReceiptMatcher;
  private readonly mo: MoAssembler;
  private readonly txLink: Link | undefined;
  private iterators = new Set<(m: MoMessage | null) => void>();
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;
  /** What the SMSC's last bind_resp allows (TLVs unless it announced no sc_interface_version). */
  private peer: PeerCapabilities = { tlvs: true };

  constructor(input: string | ConnectOptions) {
    super();
    const given: ConnectOptions = typeof input === 'string' ? { url: input } : input;
    const { logger, trace, traceFn, retry, matcher, ...rest } = given;
    this.options = resolveOptions({ ...rest, trace: trace ?? false } as never);
    this.logger =
      logger ??
      (trace
        ? (pino({ level: 'debug' }, pino.destination(2)) as unknown as Logger)
        : (pino({ level: 'silent' }) as unknown as Logger));
    const retryTable = buildRetryTable(retry);
    const tracer: TraceFn | undefined =
      traceFn ??
      (trace
        ? (dir, pdu, bytes) =>
            this.logger.debug(
              { dir, pdu: pdu ? pduView(pdu) : undefined, hex: redactedHex(bytes) },
              `PDU ${dir} ${pdu?.command ?? '?'}`,
            )
        : undefined);
    const o = this.options;
    this.sender = new Sender({
      windowSize: o.windowSize,
      rate: o.rate,
      burst: o.burst,
      retry: retryTable,
      inFlight: o.inFlight,
    });
    this.sender.on('throttled', (status, delay) => {
      this.logger.warn({ status, delayMs: Math.round(delay) }, 'SMSC throttling: backing off');
      this.emit('throttled', status, delay);
    });
    this.matcher =
      matcher ??
      new ReceiptMatcher({ ttlMs: o.receiptTtlMs, completedTtlMs: o.receiptCompletedTtlMs, idForm: o.receiptIdForm });
    this.mo = new MoAssembler({
      timeoutMs: o.reassemblyTimeoutMs,
      duplicateWindowMs: o.moDuplicateWindowMs,
      onDuplicate: (d, pdu) => this.emit('duplicatePart', d, pdu),
    });
    const binds: Array<[string, LinkBindType]> =
      o.mode === 'pair'
        ? [
            ['tx', 'transmitter'],
            ['rx', 'receiver'],
          ]
        : [[o.mode === 'transceiver' ? 'trx' : o.mode === 'transmitter' ? 'tx' : 'rx', o.mode]];
    for (const [name, type] of binds) {
      const link = new Link(name, type, o, this.logger, tracer);
      link.on('state', (s, prev) => this.emit('state', name, s, prev));
      link.on('reconnecting', (d, a) => this.emit('reconnecting', name, d, a));
      link.on('request', (pdu, session) => this.onRequest(pdu, session));
      link.on('error', (err) => this.reportError(err));
      this.links.push(link);
    }
    this.txLink = this.links.find((l) => l.bindType !== 'receiver');
    if (this.txLink) {
      const tx = this.txLink;
      tx.on('up', (session) => {
        const v = session.peerInterfaceVersion;
        this.peer = { tlvs: v !== undefined && v >= 0x34 };
        this.sender.attach(session);
        this.emit('bound', tx.name);
      });
      tx.on('down', (reason) => {
        this.sender.attach(undefined);
        this.emit('disconnected', tx.name, reason);
      });
    }
    for (const l of this.links) {
      if (l === this.txLink) continue;
      l.on('up', () => this.emit('bound', l.name));
      l.on('down', (reason) => this.emit('disconnected', l.name, reason));
    }
    this.sweepTimer = setInterval(() => this.sweep(), 1000);
    this.sweepTimer.unref();
  }

  /** Connect and bind every link; rejects if the first attempt fails (e.g. wrong password). */
  async connect(): Promise<void> {
    try {
      await Promise.all(this.links.map((l) => l.start()));
    } catch (err) {
      await this.close({ drainMs: 0 });
      throw err;
    }
  }

  /** True when the transmitting link (or the only link) is bound. */
  get bound(): boolean {
    return this.links.every((l) => l.bound);
  }

  get outstanding(): number {
    return this.sender.outstanding;
  }

  get queued(): number {
    return this.sender.queued;
  }

  /** False when the SMSC announced no sc_interface_version at bind (SMPP v3.3): no TLVs are sent to it. */
  get peerAcceptsTlvs(): boolean {
    return this.peer.tlvs;
  }

  /** Incoming messages: delivered whole, partial, duplicate parts ignored, undecodable (acknowledged, on 'error'). */
  get moCounters(): Readonly<MoCounters> {
    return this.mo.counters;
  }

  private deadline(): number {
    const t = this.options.submitTimeoutMs;
    return t > 0 ? systemClock.now() + t : Infinity;
  }

  /** Send one request PDU through the window, rate limit and retry table; resolves with the (status 0) response. */
  request(pdu: RequestFields, deadline = this.deadline()): Promise<Pdu> {
    if (!this.txLink)
      return Promise.reject(
        new ConfigError(
          `mode '${this.options.mode}' cannot send ${pdu.command}: bind as transmitter, transceiver or pair`,
        ),
      );
    const { job, promise } = makeJob(pdu, deadline);
    this.sender.enqueue(job);
    return promise;
  }

  /** Encode and split once; submitPrepared can then send it many times (load generation). */
  prepare(msg: SubmitMessage): PreparedMessage {
    return buildSubmit(msg, this.options, this.peer);
  }

  /** Submit a message: chooses the encoding, splits long text, sends the parts in order, resolves with all ids. */
  submit(msg: SubmitMessage): Promise<SubmitResult> {
    let prepared: PreparedMessage;
    try {
      prepared = this.prepare(msg);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.submitPrepared(prepared, msg.meta);
  }

  submitPrepared(prepared: PreparedMessage, meta?: unknown): Promise<SubmitResult> {
    if (prepared.parts.length === 1) {
      // The hot path (load generation): one PDU, no async function frame.
      const tracked = prepared.wantsReceipt ? this.matcher.begin(1, meta, systemClock.now()) : undefined;
      return this.request(prepared.parts[0]!).then(
        (resp) => {
          const id = (resp as Pdu & { message_id?: string }).message_id ?? '';
          if (tracked) this.handleOutcomes(this.matcher.addId(tracked, 0, id));
          return { messageIds: [id], parts: 1, dataCoding: prepared.dataCoding };
        },
        tracked
          ? (err: unknown) => {
              this.matcher.abandon(tracked);
              throw err;
            }
          : undefined,
      );
    }
    return this.submitParts(prepared, meta);
  }

  private async submitParts(prepared: PreparedMessage, meta?: unknown): Promise<SubmitResult> {
    const deadline = this.deadline();
    const parts = prepared.parts;
    // Receipts are tracked part by part as each id comes, so a receipt racing a later part finds its submit.
    const tracked = prepared.wantsReceipt ? this.matcher.begin(parts.length, meta, systemClock.now()) : undefined;
    const ids: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      try {
        const resp = (await this.request(parts[i]!, deadline)) as Pdu & { message_id?: string };
        const id = resp.message_id ?? '';
        ids.push(id);
        if (tracked) this.handleOutcomes(this.matcher.addId(tracked, i, id));
      } catch (err) {
        if (tracked) this.matcher.abandon(tracked);
        if (err instanceof SmppStatusError && ids.length > 0) {
          throw new SmppStatusError(
            err.commandStatus,
            `${err.command} (part ${i + 1} of ${parts.length})`,
            err.attempts,
            ids,
          );
        }
        throw err;
      }
    }
    return { messageIds: ids, parts: parts.length, dataCoding: prepared.dataCoding };
  }

  /** submit_multi to several destinations (a long text is split and each part sent to all of them). */
  async submitMulti(msg: SubmitMultiMessage): Promise<SubmitMultiResult> {
    const prepared = buildSubmitMulti(msg, this.options, this.peer);
    const deadline = this.deadline();
    const submittedAt = systemClock.now();
    const ids: string[] = [];
    const unsuccessful: SubmitMultiResult['unsuccessful'] = [];
    for (const part of prepared.parts) {
      const resp = (await this.request(part, deadline)) as Pdu & {
        message_id?: string;
        unsuccess_sme?: Array<{ destination_addr: string; error_status_code: number }>;
      };
      ids.push(resp.message_id ?? '');
      for (const u of resp.unsuccess_sme ?? []) {
        if (!unsuccessful.some((x) => x.destination === u.destination_addr)) {
          unsuccessful.push({
            destination: u.destination_addr,
            status: u.error_status_code,
            statusName: new SmppStatusError(u.error_status_code, 'submit_multi').statusName,
          });
        }
      }
    }
    if (prepared.wantsReceipt) {
      // one receipt per destination and id: the destinations the SMSC accepted
      const all = ((prepared.parts[0] as { dest_address?: Array<{ destination_addr?: string }> }).dest_address ?? [])
        .map((d) => d.destination_addr)
        .filter((d): d is string => typeof d === 'string');
      const refused = new Set(unsuccessful.map((u) => u.destination));
      const destinations = all.filter((d) => !refused.has(d));
      this.handleOutcomes(this.matcher.track(ids, msg.meta, submittedAt, destinations));
    }
    return { messageIds: ids, unsuccessful };
  }

  /** Resolves with the logical receipt of the message that has `messageId` among its ids. */
  waitForReceipt(messageId: string, timeoutMs = 60_000): Promise<LogicalReceipt> {
    return this.matcher.waitFor(messageId, timeoutMs);
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

  private onRequest(pdu: RequestPdu, session: Session): void {
    switch (pdu.command) {
      case 'deliver_sm':
      case 'data_sm': {
        const read = readReceipt(pdu, systemClock.now());
        if (read) {
          session.respond(pdu);
          if (!read.receipt) {
            this.logger.warn({ command: pdu.command }, 'receipt without a message id: ignored');
            return;
          }
          const outcome = this.matcher.onReceipt(read.receipt);
          this.emit('partReceipt', read.receipt, outcome.kind !== 'unmatched');
          this.handleOutcome(outcome);
          const more = this.matcher.takePending();
          if (more.length > 0) this.handleOutcomes(more);
          return;
        }
        let message: MoMessage | undefined;
        try {
          message = this.mo.accept(pdu);
        } catch (err) {
          // An undecodable message is still acknowledged (the SMSC would retry forever); it is reported.
          session.respond(pdu);
          this.reportError(err as Error);
          return;
        }
        session.respond(pdu);
        if (message) this.deliver(message);
        return;
      }
      case 'alert_notification':
        this.emit('alert', pdu);
        return;
      default:
        session.respond(pdu, { command_status: 0x03 });
    }
  }

  /** 'error' when someone listens; otherwise a warning in the log (an unhandled 'error' event would crash). */
  private reportError(err: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.logger.warn({ err: err.message }, 'esme-client error');
  }

  private deliver(message: MoMessage): void {
    this.emit('message', message);
    for (const push of this.iterators) push(message);
  }

  private handleOutcomes(outcomes: MatchOutcome[]): void {
    for (const o of outcomes) if (o.kind === 'complete') this.emit('receipt', o.result);
  }

  private handleOutcome(o: MatchOutcome): void {
    if (o.kind === 'complete') this.emit('receipt', o.result);
  }

  private sweep(): void {
    const { outcomes, orphans } = this.matcher.sweep();
    this.handleOutcomes(outcomes);
    for (const r of orphans) {
      this.logger.warn({ id: r.id, stat: r.stat, reason: r.unmatchedReason }, 'receipt not paired with any submit');
      this.emit('unmatchedReceipt', r, r.unmatchedReason ?? 'unknown');
    }
    for (const m of this.mo.sweep()) this.deliver(m);
  }

  /** Graceful close: wait for queued/outstanding submits (up to drainMs), unbind, stop reconnecting. */
  async close(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const drainMs = opts.drainMs ?? 10_000;
    if (drainMs > 0 && this.txLink?.bound) await this.sender.drain(drainMs);
    this.sender.close();
    await Promise.all(this.links.map((l) => l.close(Math.min(5000, Math.max(200, drainMs)))));
    clearInterval(this.sweepTimer);
    this.matcher.close();
    for (const push of this.iterators) push(null);
    this.iterators.clear();
  }
}
