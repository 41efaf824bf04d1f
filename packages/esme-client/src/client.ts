// The ESME client: one bind (transceiver, transmitter, receiver) or a transmitter+receiver pair, with
// flow control and retries (sender.ts), reconnection (link.ts), long messages (message-builder.ts),
// delivery receipts (receipt-matcher.ts) and mobile-originated messages (mo.ts). Here: the links and their wiring,
// and the sending side (submit, submit_multi, receipts tracked as ids come); what the SMSC sends the client is
// inbound.ts's, the events client-events.ts's.
import { EventEmitter } from 'node:events';
import type { Logger, Pdu } from '@smppkit/core';
import pino from 'pino';
import { type ClientEvents, emitReceipts, reportError } from './client-events.js';
import { encodedOf, rememberEncoded } from './encoded-part.js';
import { ConfigError, SmppStatusError } from './errors.js';
import { Inbound, SWEEP_TICK_MS } from './inbound.js';
import { Link, type LinkBindType, type TraceFn } from './link.js';
import {
  buildSubmit,
  buildSubmitMulti,
  type PeerCapabilities,
  type PreparedMessage,
  type SubmitMessage,
  type SubmitMultiMessage,
} from './message-builder.js';
import type { MoCounters, MoMessage } from './mo.js';
import type { NationalCode } from './national.js';
import { type ClientOptions, resolveOptions } from './options.js';
import { pduView, redactedHex } from './pdu-view.js';
import { systemClock } from './rate-limiter.js';
import { type LogicalReceipt, ReceiptMatcher } from './receipt-matcher.js';
import { buildRetryTable, type RetryOverrides } from './retry-policy.js';
import { makeJob, type RequestFields, Sender } from './sender.js';
import { type SubmitDone, SubmitJob } from './submit-job.js';

export type { ClientEvents } from './client-events.js';

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
  /** deliver_sm / data_sm (receipts, MO), alert_notification, and the sweep's reports. */
  private readonly inbound: Inbound;
  private readonly txLink: Link | undefined;
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
    this.inbound = new Inbound(this, this.matcher, o);
    const binds: Array<[string, LinkBindType]> =
      o.mode === 'pair'
        ? [
            ['tx', 'transmitter'],
            ['rx', 'receiver'],
          ]
        : [[o.mode === 'transceiver' ? 'trx' : o.mode === 'transmitter' ? 'tx' : 'rx', o.mode]];
    for (const [name, type] of binds) {
      const link = new Link(name, type, o, this.logger, tracer, (pdu, session) => this.inbound.onRequest(pdu, session));
      link.on('state', (s, prev) => this.emit('state', name, s, prev));
      link.on('reconnecting', (d, a) => this.emit('reconnecting', name, d, a));
      link.on('error', (err) => reportError(this, err));
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
    this.sweepTimer = setInterval(() => this.inbound.sweep(), SWEEP_TICK_MS);
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
    return this.inbound.mo.counters;
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
    const prepared = buildSubmit(msg, this.options, this.peer);
    // sendPrepared writes a one-part message from octets encoded here (only the sequence number differs per send)
    if (prepared.parts.length === 1) rememberEncoded(prepared.parts[0]!);
    return prepared;
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
    if (prepared.parts.length !== 1 || !this.txLink) return this.submitParts(prepared, meta);
    // The hot path: one PDU, one job; the receipt entry gets its id as the response is read.
    const dataCoding = prepared.dataCoding;
    return new Promise((resolve, reject) =>
      this.enqueueOne(prepared, meta, {
        ok: (id) => resolve({ messageIds: [id], parts: 1, dataCoding }),
        fail: reject,
      }),
    );
  }

  /**
   * submitPrepared without a promise (the load generator's path): the outcome goes to `done`, once. A one-part
   * message costs one job object; a long one goes through submitPrepared (ok gets its last part's id).
   */
  sendPrepared(prepared: PreparedMessage, meta: unknown, done: SubmitDone): void {
    if (prepared.parts.length === 1 && this.txLink) {
      this.enqueueOne(prepared, meta, done);
      return;
    }
    this.submitParts(prepared, meta).then(
      (r) => done.ok(r.messageIds[r.messageIds.length - 1] ?? ''),
      (err: unknown) => done.fail(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private enqueueOne(prepared: PreparedMessage, meta: unknown, done: SubmitDone): void {
    const tracked = prepared.wantsReceipt ? this.matcher.begin(1, meta, systemClock.now()) : undefined;
    const part = prepared.parts[0]!;
    this.sender.enqueue(new SubmitJob(part, this.deadline(), this, this.matcher, tracked, done, encodedOf(part)));
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
        if (tracked) emitReceipts(this, this.matcher.addId(tracked, i, id));
      } catch (err) {
        if (tracked) emitReceipts(this, this.matcher.abandon(tracked));
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
    // tracked only once all its ids are in: receipts held meanwhile wait for its responses too
    const expected = prepared.wantsReceipt ? this.matcher.expectResponse() : undefined;
    try {
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
        emitReceipts(this, this.matcher.track(ids, msg.meta, submittedAt, destinations, expected));
      }
    } finally {
      if (expected) emitReceipts(this, this.matcher.responded(expected));
    }
    return { messageIds: ids, unsuccessful };
  }

  /** Resolves with the logical receipt of the message that has `messageId` among its ids. */
  waitForReceipt(messageId: string, timeoutMs = 60_000): Promise<LogicalReceipt> {
    return this.matcher.waitFor(messageId, timeoutMs);
  }

  /** Incoming messages as an async iterator (ends when the client closes). */
  messages(): AsyncIterableIterator<MoMessage> {
    return this.inbound.messages();
  }

  /** Graceful close: wait for queued/outstanding submits (up to drainMs), unbind, stop reconnecting. */
  async close(opts: { drainMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inbound.closing();
    const drainMs = opts.drainMs ?? 10_000;
    if (drainMs > 0 && this.txLink?.bound) await this.sender.drain(drainMs);
    this.sender.close();
    await Promise.all(this.links.map((l) => l.close(Math.min(5000, Math.max(200, drainMs)))));
    clearInterval(this.sweepTimer);
    this.matcher.close();
    this.inbound.end();
  }
}
