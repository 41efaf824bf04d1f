// A pool of binds to one or several SMSCs: each submit goes to the least-loaded bound client; when a bind goes
// down, the submits queued on it (not yet sent) move to the binds that are up, and so, at once, do the ones that
// were on its wire when they must be sent again (never left, or inFlight 'resubmit'). Receipts are matched across
// all binds of one account (a carrier may send a receipt on any of them, on any of its hosts) by one matcher per
// account (system_id, or the bind's receiptGroup): each carrier has its own ids and writes them in its own form.
import { EventEmitter } from 'node:events';
import { Client, type ClientEvents, type ConnectOptions, type SubmitMultiResult, type SubmitResult } from './client.js';
import { ConnectError } from './errors.js';
import type { PreparedMessage, SubmitMessage, SubmitMultiMessage } from './message-builder.js';
import type { MoMessage } from './mo.js';
import { resolveOptions } from './options.js';
import { type LogicalReceipt, ReceiptMatcher } from './receipt-matcher.js';
import type { SubmitDone } from './submit-job.js';

export interface PoolBind extends ConnectOptions {
  /** How many binds to open with these options (default 1). */
  count?: number;
  /**
   * Binds whose receipts are matched together, by one matcher that learns one id form (default: the bind's
   * system_id — the binds of one account at one carrier, whatever host they reach).
   */
  receiptGroup?: string;
}

export interface PoolOptions {
  binds: Array<string | PoolBind>;
  /** Options applied to every bind (each bind's own win). */
  defaults?: ConnectOptions;
  receiptTtlMs?: number;
  receiptCompletedTtlMs?: number;
  /** How receipts write the submit ids (see ReceiptMatcher); default 'auto'. */
  receiptIdForm?: 'auto' | 'same' | 'hexToDecimal' | 'decimalToHex';
}

/** The clients' events the pool emits as its own ('error' apart: emitted only when someone listens). */
const FORWARDED = [
  'receipt',
  'message',
  'partReceipt',
  'throttled',
  'bound',
  'disconnected',
  'reconnecting',
  'state',
  'unmatchedReceipt',
  'duplicatePart',
  'alert',
] as const satisfies ReadonlyArray<keyof ClientEvents>;

export class Pool extends EventEmitter<ClientEvents> {
  readonly clients: Client[] = [];
  /** One receipt matcher per receipt group (by default per system_id), shared by its binds. */
  readonly matchers: ReceiptMatcher[] = [];
  private rr = 0;
  private forwardingParts = false;

  constructor(o: PoolOptions) {
    super();
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event !== 'partReceipt' || this.forwardingParts) return;
      this.forwardingParts = true;
      for (const c of this.clients) this.forwardParts(c);
    });
    const bySmsc = new Map<string, ReceiptMatcher>();
    for (const b of o.binds) {
      const bind: PoolBind = typeof b === 'string' ? { url: b } : b;
      const { count = 1, receiptGroup, ...rest } = bind;
      const given = { ...(o.defaults ?? {}), ...rest };
      const { logger: _l, trace: _t, traceFn: _f, retry: _r, matcher: _m, ...plain } = given;
      const key = receiptGroup ?? resolveOptions(plain as never).system_id;
      let matcher = bySmsc.get(key);
      if (!matcher) {
        matcher = new ReceiptMatcher({
          ttlMs: o.receiptTtlMs ?? 3_600_000,
          completedTtlMs: o.receiptCompletedTtlMs ?? 10_000,
          idForm: o.receiptIdForm ?? 'auto',
        });
        bySmsc.set(key, matcher);
        this.matchers.push(matcher);
      }
      for (let i = 0; i < count; i++) this.add(new Client({ ...given, matcher }));
    }
  }

  private add(c: Client): void {
    this.clients.push(c);
    const emit = this.emit.bind(this) as (e: string, ...a: unknown[]) => boolean;
    const on = c.on.bind(c) as (e: string, fn: (...a: unknown[]) => void) => unknown;
    for (const e of FORWARDED) if (e !== 'receipt' && e !== 'partReceipt') on(e, (...args) => emit(e, ...args));
    // once per receipt: passed on as they are (no arguments array); 'partReceipt' once someone listens to it here
    c.on('receipt', (r) => this.emit('receipt', r));
    if (this.forwardingParts) this.forwardParts(c);
    c.on('error', (err) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    c.on('disconnected', () => this.failover(c));
    c.sender.handoff = (job) => {
      const target = this.liveOther(c);
      if (!target) return false;
      target.sender.enqueue(job);
      return true;
    };
    c.on('bound', () => {
      for (const other of this.clients) if (other !== c && !other.sender.bound) this.failover(other);
    });
  }

  private forwardParts(c: Client): void {
    c.on('partReceipt', (r, matched) => this.emit('partReceipt', r, matched));
  }

  /** Open every bind; resolves when at least one is bound (the others keep retrying or are reported). */
  async connect(): Promise<void> {
    const results = await Promise.allSettled(this.clients.map((c) => c.connect()));
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ client: this.clients[i]!, err: r.reason as Error }] : [],
    );
    if (failed.length === this.clients.length)
      throw new ConnectError(`no bind of the pool could connect: ${failed.map((f) => f.err.message).join('; ')}`);
    for (const f of failed) {
      this.clients.splice(this.clients.indexOf(f.client), 1);
      if (this.listenerCount('error') > 0) this.emit('error', f.err);
    }
  }

  get bound(): number {
    return this.clients.filter((c) => c.sender.bound).length;
  }

  /** The bound client with the most free room in its window (round-robin among equals). */
  pick(): Client {
    const n = this.clients.length;
    if (n === 1) return this.clients[0]!; // one bind (esme load's common case): it, bound or not
    let best: Client | undefined;
    let bestLoad = Infinity;
    for (let k = 0; k < n; k++) {
      const c = this.clients[(this.rr + k) % n]!;
      if (!c.sender.bound) continue;
      const load = (c.outstanding + c.queued) / c.options.windowSize;
      if (load < bestLoad) {
        best = c;
        bestLoad = load;
      }
    }
    this.rr = (this.rr + 1) % Math.max(1, n);
    return best ?? this.clients[this.rr % n]!;
  }

  /** The bound client other than `c` with the most free room in its window. */
  private liveOther(c: Client): Client | undefined {
    let best: Client | undefined;
    let bestLoad = Infinity;
    for (const o of this.clients) {
      if (o === c || !o.sender.bound) continue;
      const load = (o.outstanding + o.queued) / o.options.windowSize;
      if (load < bestLoad) {
        best = o;
        bestLoad = load;
      }
    }
    return best;
  }

  private failover(down: Client): void {
    if (down.sender.bound) return;
    const targets = this.clients.filter((c) => c !== down && c.sender.bound);
    if (targets.length === 0) return;
    const jobs = down.sender.takeQueued();
    jobs.forEach((j, i) => targets[i % targets.length]!.sender.enqueue(j));
  }

  submit(msg: SubmitMessage): Promise<SubmitResult> {
    return this.pick().submit(msg);
  }

  /**
   * Encode and split once for any bind of the pool: prepared for the least capable one (when a bind reached an
   * SMPP v3.3 SMSC, SAR / payload splitting falls back to UDH and a caller's TLV is an error), since
   * submitPrepared may send it on any bind.
   */
  prepare(msg: SubmitMessage): PreparedMessage {
    const bound = this.clients.filter((c) => c.sender.bound);
    const from = (bound.length ? bound : this.clients).find((c) => !c.peerAcceptsTlvs) ?? this.clients[0]!;
    return from.prepare(msg);
  }

  submitPrepared(p: PreparedMessage, meta?: unknown): Promise<SubmitResult> {
    return this.pick().submitPrepared(p, meta);
  }

  /** Client.sendPrepared on the least-loaded bind: the outcome goes to `done` (no promise). */
  sendPrepared(p: PreparedMessage, meta: unknown, done: SubmitDone): void {
    this.pick().sendPrepared(p, meta, done);
  }

  submitMulti(msg: SubmitMultiMessage): Promise<SubmitMultiResult> {
    return this.pick().submitMulti(msg);
  }

  /** The matcher of the first receipt group (the only one when every bind uses one account). */
  get matcher(): ReceiptMatcher {
    return this.matchers[0]!;
  }

  /** Receipt counters summed over the SMSCs' matchers (see ReceiptMatcher.counters), and receipts held now. */
  get receiptCounters(): ReceiptMatcher['counters'] & { held: number } {
    const keys = Object.keys(this.matchers[0]!.counters) as Array<keyof ReceiptMatcher['counters']>;
    const sum = Object.fromEntries([...keys, 'held'].map((k) => [k, 0])) as ReceiptMatcher['counters'] & {
      held: number;
    };
    for (const m of this.matchers) {
      for (const k of keys) sum[k] += m.counters[k];
      sum.held += m.heldReceipts;
    }
    return sum;
  }

  waitForReceipt(messageId: string, timeoutMs = 60_000): Promise<LogicalReceipt> {
    const m = this.matchers.find((x) => x.tracks(messageId)) ?? this.matchers[0]!;
    return m.waitFor(messageId, timeoutMs);
  }

  get outstanding(): number {
    return this.clients.reduce((a, c) => a + c.outstanding, 0);
  }

  /** Incoming messages from every bind as one async iterator. */
  messages(): AsyncIterableIterator<MoMessage> {
    const buffer: MoMessage[] = [];
    let waiting: ((r: IteratorResult<MoMessage>) => void) | undefined;
    const onMessage = (m: MoMessage) => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w({ value: m, done: false });
      } else buffer.push(m);
    };
    this.on('message', onMessage);
    const it: AsyncIterableIterator<MoMessage> = {
      next: () =>
        buffer.length > 0
          ? Promise.resolve({ value: buffer.shift()!, done: false })
          : new Promise((r) => (waiting = r)),
      return: () => {
        this.off('message', onMessage);
        waiting?.({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  async close(opts: { drainMs?: number } = {}): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close(opts)));
    for (const m of this.matchers) m.close();
  }
}

export async function connectPool(o: PoolOptions): Promise<Pool> {
  const p = new Pool(o);
  await p.connect();
  return p;
}
