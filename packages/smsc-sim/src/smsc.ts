// The simulator: listeners (TCP, TLS), one Connection per peer on the core Session engine, and the shared parts —
// accounts, store, scenario engine, delivery scheduler, metrics — that the request handlers work on.
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { CommandStatus, decodePdu, Session, type Pdu } from '@smppkit/core';
import { Accounts } from './accounts.js';
import { validateRules, type FaultConfig, type Rule, type SimConfig } from './config.js';
import { Connection, type ConnectionHost } from './connection.js';
import { Delivery } from './delivery.js';
import { hasFaults } from './faults.js';
import { createLogger, type Logger } from './logger.js';
import { MessageStore, type MessageFilter, type MessageRecord } from './message-store.js';
import { parseMessageId } from './message-id.js';
import { toView, type MessageView } from './message-view.js';
import { Metrics } from './metrics.js';
import { injectMo, type MoRequest, type MoResult } from './mo.js';
import { handleRequest } from './request-handlers.js';
import { ScenarioEngine } from './scenario.js';
import { TokenBucket } from './throttle.js';
import { MinHeap } from './min-heap.js';
import { Checkpointer } from './checkpointer.js';
import { ConfigError } from './config.js';

/** How often the one sweep runs (due transitions, outbox, expiry of open concatenation groups). */
const TICK_MS = 20;
/** an incomplete concatenated message stops collecting parts after this long */
const GROUP_TTL_MS = 10 * 60_000;

export class Smsc implements ConnectionHost {
  readonly store: MessageStore;
  readonly accounts: Accounts;
  readonly scenario: ScenarioEngine;
  readonly metrics: Metrics;
  readonly delivery: Delivery;
  readonly log: Logger;
  readonly connections = new Map<number, Connection>();
  readonly errorStatus = CommandStatus.ESME_RSYSERR;
  readonly genericNackStatus = CommandStatus.ESME_RSYSERR;
  readonly startedAt = Date.now();
  port = 0;
  tlsPort: number | null = null;
  private tcp: net.Server | null = null;
  private tlsServer: tls.Server | null = null;
  private nextConnId = 1;
  private tick: NodeJS.Timeout | null = null;
  private lastSecond = Date.now();
  private lastWaiterCheck = 0;
  private readonly buckets = new Map<string, TokenBucket>();
  /** open concatenation groups: key → group id */
  readonly groups = new Map<string, { groupId: number; seen: number; at: number }>();
  private liveFaults: FaultConfig | undefined;
  /** some configured account has faults (else, with no live faults, faultsFor answers at once) */
  private readonly configFaults: boolean;
  private readonly liveAccountFaults = new Map<string, FaultConfig>();
  /** waitForMessage callers: re-checked after each commit, rejected on close */
  private readonly waiters = new Map<() => void, (e: Error) => void>();
  /** work deferred to a later sweep (response delays, resumes): no timer per request */
  private readonly deferred = new MinHeap<{ at: number; run: () => void }>();
  private closing: Promise<void> | null = null;
  private checkpointer: Checkpointer | null = null;
  readonly random: () => number;

  constructor(readonly config: SimConfig, logger?: Logger) {
    this.log = logger ?? createLogger(config.logLevel);
    this.store = new MessageStore(config.store);
    this.accounts = new Accounts(config.accounts, config.receipt);
    this.scenario = new ScenarioEngine(config.rules, config.seed, config.defaultDelayMs);
    this.random = () => this.scenario.random();
    this.liveFaults = config.faults;
    this.configFaults = config.accounts.some((a) => hasFaults(a.faults));
    this.delivery = new Delivery(this);
    this.store.onLostInserts = (ids) => this.delivery.forgetMessages(ids);
    this.metrics = new Metrics({
      binds: () => {
        const m = new Map<string, { systemId: string; bindType: string; count: number }>();
        for (const c of this.connections.values()) {
          if (!c.account || !c.bindType) continue;
          const k = `${c.account.systemId}|${c.bindType}`;
          const e = m.get(k) ?? { systemId: c.account.systemId, bindType: c.bindType, count: 0 };
          e.count++;
          m.set(k, e);
        }
        return [...m.values()];
      },
      windowInUse: () => { let n = 0; for (const c of this.connections.values()) n += c.pending; return n; },
      queueDepth: () => this.delivery.depth(),
    });
    this.store.onCommit(() => { for (const w of [...this.waiters.keys()]) w(); });
  }

  async start(): Promise<void> {
    this.delivery.recover();
    if (this.store.path) this.checkpointer = new Checkpointer(this.store.path, 500, (m) => this.log.warn({ err: m }, 'WAL checkpoint failed'));
    this.tcp = net.createServer((socket) => this.accept(socket, false));
    this.port = await listen(this.tcp, this.config.port, this.config.host);
    if (this.config.tls) {
      const t = this.config.tls;
      let key: Buffer, cert: Buffer;
      try {
        key = readFileSync(t.key);
        cert = readFileSync(t.cert);
      } catch (e) {
        throw new ConfigError(`tls: cannot read the key or certificate: ${(e as Error).message}`);
      }
      this.tlsServer = tls.createServer({ key, cert }, (socket) => this.accept(socket, true));
      this.tlsPort = await listen(this.tlsServer, t.port, this.config.host);
    }
    this.tick = setInterval(() => this.sweep(), TICK_MS);
    this.tick.unref();
    if (this.accounts.open) this.log.warn('no accounts configured: any system_id and password may bind, from a loopback address only');
    for (const o of this.config.outbind) this.outbind(o).catch((e) => this.log.warn({ err: (e as Error).message, target: o }, 'outbind failed'));
  }

  private sessionOptions(connId: number): ConstructorParameters<typeof Session>[1] {
    const log = this.log.child({ conn: connId });
    const opts: ConstructorParameters<typeof Session>[1] = {
      role: 'mc',
      // deliver_sm of the delivery window, and room for an unbind or enquire_link beside them
      windowSize: this.config.deliveryWindow + 2,
      // answers come from the store's commit (a setImmediate callback): write them in the same loop iteration
      writeTiming: 'callback',
      responseTimeoutMs: this.config.deliveryRetryMs,
      enquireLinkIntervalMs: 0,
      inactivityTimeoutMs: this.config.idleTimeoutMs,
      logger: log,
    };
    // the per-session PDU trace, at debug level only (a trace hook costs a decode per PDU written)
    if (log.isLevelEnabled('debug')) {
      opts.trace = (dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer) =>
        log.debug({ dir, command: pdu?.command ?? null, pdu: pdu ? decodedJson(bytes) : undefined, hex: bytes.toString('hex') }, 'pdu');
    }
    return opts;
  }

  /** Wraps a connected socket (accepted, or opened for outbind) in a Session and a Connection. */
  attach(socket: net.Socket, isTls: boolean, outbound = false): Connection {
    socket.setNoDelay(true);
    const id = this.nextConnId++;
    const session = new Session(socket, this.sessionOptions(id));
    const conn = new Connection(id, session, socket, isTls, this, outbound);
    this.connections.set(conn.id, conn);
    session.on('request', (pdu: Pdu) => {
      try {
        handleRequest(this, conn, pdu as Pdu & { sequence_number: number });
      } catch (e) {
        // a bug in a handler must not take the process down: answer ESME_RSYSERR and go on
        this.log.error({ err: (e as Error).stack, command: pdu.command }, 'request handler failed');
        try { conn.session.respond(pdu, { command_status: CommandStatus.ESME_RSYSERR }); } catch { /* closed */ }
      }
    });
    session.on('close', (reason: string) => this.detach(conn, reason));
    session.on('error', (err: Error) => this.log.debug({ conn: conn.id, err: err.message }, 'session error'));
    socket.on('error', () => { /* reported through the session's close */ });
    return conn;
  }

  private accept(socket: net.Socket, isTls: boolean): void {
    if (this.closing) { socket.destroy(); return; }
    const conn = this.attach(socket, isTls);
    this.log.debug({ conn: conn.id, remote: conn.remote, tls: isTls }, 'connection');
  }

  private detach(conn: Connection, reason: string): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connections.delete(conn.id);
    if (conn.account) this.accounts.release(conn.account);
    this.delivery.connectionClosed(conn);
    this.log.info({ conn: conn.id, systemId: conn.account?.systemId ?? null, reason }, 'session closed');
  }

  /** After a successful bind: account and bind type are set on the connection. */
  bound(conn: Connection): void {
    this.log.info({ conn: conn.id, systemId: conn.account?.systemId, bindType: conn.bindType, remote: conn.remote }, 'bound');
    const f = this.faultsFor(conn.account?.systemId ?? null);
    if (f?.stopReadingMs) {
      conn.session.pause();
      this.defer(f.stopReadingMs, () => { if (!conn.closed) conn.session.resume(); });
    }
    if (conn.bindType === 'receiver' || conn.bindType === 'transceiver') this.delivery.addReceiver(conn);
  }

  bucket(systemId: string, tps: number): TokenBucket {
    let b = this.buckets.get(systemId);
    if (!b) { b = new TokenBucket(tps, Date.now()); this.buckets.set(systemId, b); }
    return b;
  }

  faultsFor(systemId: string | null): FaultConfig | undefined {
    // the common case, asked twice per request: no fault injection anywhere
    if (this.liveFaults === undefined && this.liveAccountFaults.size === 0 && !this.configFaults) return undefined;
    const f = (systemId !== null ? this.liveAccountFaults.get(systemId) ?? this.accounts.get(systemId)?.config.faults : undefined) ?? this.liveFaults;
    return hasFaults(f) ? f : undefined;
  }

  /** Live fault injection: for one account, or for every account without its own. undefined clears. */
  setFaults(faults: FaultConfig | undefined, systemId?: string): void {
    if (systemId !== undefined) {
      if (faults) this.liveAccountFaults.set(systemId, faults); else this.liveAccountFaults.delete(systemId);
    } else this.liveFaults = faults;
  }

  faults(): { global: FaultConfig | null; accounts: Record<string, FaultConfig> } {
    const accounts: Record<string, FaultConfig> = {};
    for (const a of this.accounts.all()) if (a.config.faults) accounts[a.systemId] = a.config.faults;
    for (const [k, v] of this.liveAccountFaults) accounts[k] = v;
    return { global: this.liveFaults ?? null, accounts };
  }

  setRules(rules: Rule[]): void {
    const r = validateRules(rules);
    if (!Array.isArray(r)) throw new ConfigError(`rules: ${r.errors.join('; ')}`);
    this.scenario.setRules(r);
  }

  /** Runs fn after about ms (on the sweep, TICK_MS granularity); at once when ms <= 0. */
  defer(ms: number, fn: () => void): void {
    if (ms <= 0) fn();
    else this.deferred.push({ at: Date.now() + ms, run: fn });
  }

  private sweep(): void {
    const now = Date.now();
    for (let d = this.deferred.peek(); d && d.at <= now; d = this.deferred.peek()) {
      this.deferred.pop();
      try { d.run(); } catch (e) { this.log.error({ err: (e as Error).stack }, 'deferred work failed'); }
    }
    if (now - this.lastSecond >= 1000) {
      this.metrics.second();
      this.lastSecond = now;
      for (const [k, g] of this.groups) if (now - g.at > GROUP_TTL_MS) this.groups.delete(k);
    }
    this.delivery.tick(now);
    // implicit transitions are not commits: waiters for a state are also re-checked on the sweep
    if (this.waiters.size && now - this.lastWaiterCheck >= 50) {
      this.lastWaiterCheck = now;
      for (const w of [...this.waiters.keys()]) w();
    }
  }

  // ---- inspection and control (programmatic API and HTTP) ----

  messages(filter: MessageFilter = {}): { total: number; messages: MessageView[] } {
    const { total, groups } = this.store.query(filter);
    return { total, messages: groups.map((g) => toView(g)) };
  }

  /** One message by the id an ESME was given (or the numeric id), with its parts' PDUs and state history. */
  message(id: string): (MessageView & {
    history: Array<{ id: string; at: string; state: string; detail: string }>;
    pdus: Array<{ id: string; hex: string | null; decoded: unknown }>;
    deliveries: Array<{ id: string; kind: string; systemId: string; status: string; attempts: number }>;
  }) | undefined {
    // the id as an ESME was given it (decimal or hex, by account), or the numeric id
    const candidates = new Set<number>();
    for (const fmt of ['decimal', 'hex'] as const) { const n = parseMessageId(id, fmt); if (n !== null) candidates.add(n); }
    let parts: MessageRecord[] = [];
    for (const n of candidates) {
      parts = this.store.byIdWithMulti(n).filter((m) => m.mid === id.toLowerCase() || String(m.id) === id);
      if (parts.length) break;
    }
    if (parts.length === 0) return undefined;
    const group = this.store.group(parts[0].groupId);
    const view = toView(group);
    const history = group.flatMap((p) => this.store.history(p.id).map((h) => ({ id: p.mid, at: new Date(h.at).toISOString(), state: h.state, detail: h.detail })));
    const pdus = group.map((p) => ({ id: p.mid, hex: p.pdu ? p.pdu.toString('hex') : null, decoded: p.pdu ? decodedJson(p.pdu) : null }));
    const deliveries = group.flatMap((p) => {
      const items = this.store.outboxOf(p.id);
      const owed = this.delivery.unstoredReceipt(p.id); // a receipt gets its row at its first outcome
      if (owed) items.push(owed);
      return items.map((o) => ({ id: p.mid, kind: o.kind, systemId: o.systemId, status: o.status, attempts: o.attempts }));
    });
    return { ...view, history, pdus, deliveries };
  }

  /** Resolves with the first logical message matching the filter (already stored or arriving within timeoutMs). */
  waitForMessage(filter: MessageFilter & { text?: string | RegExp } = {}, timeoutMs = 5000): Promise<MessageView> {
    const find = (): MessageView | undefined => {
      const { messages } = this.messages({ ...filter, limit: 1000, order: 'asc' });
      const t = filter.text;
      return messages.find((m) => t === undefined || (typeof t === 'string' ? m.text.includes(t) : t.test(m.text)));
    };
    let now: MessageView | undefined;
    try {
      now = find();
    } catch (e) {
      return Promise.reject(e);
    }
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        let m: MessageView | undefined;
        try {
          m = find();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (m) { done(); resolve(m); }
      };
      const timer = setTimeout(() => { done(); reject(new Error(`waitForMessage: no message matching ${JSON.stringify(filter)} within ${timeoutMs} ms`)); }, timeoutMs);
      const done = () => { clearTimeout(timer); this.waiters.delete(check); };
      this.waiters.set(check, (e) => { done(); reject(e); });
    });
  }

  injectMo(req: MoRequest): MoResult {
    return injectMo(this, req);
  }

  /** Connects to an ESME and sends outbind; the ESME answers with a bind on that connection. */
  outbind(target: { host: string; port: number; systemId: string; password: string }): Promise<{ connection: number }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(target.port, target.host);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const conn = this.attach(socket, false, true);
        conn.session.send({ command: 'outbind', command_status: 0, system_id: target.systemId, password: target.password });
        this.log.info({ conn: conn.id, target: `${target.host}:${target.port}` }, 'outbind sent');
        resolve({ connection: conn.id });
      });
    });
  }

  sessions() {
    return [...this.connections.values()].map((c) => c.info());
  }

  /** Graceful stop: stop accepting, unbind every session, flush the store. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      if (this.tick) clearInterval(this.tick);
      const servers = [this.tcp, this.tlsServer].filter((s): s is net.Server => s !== null);
      const stopped = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
      await Promise.all([...this.connections.values()].map((c) => unbindQuietly(c)));
      await Promise.all(stopped);
      this.delivery.stop();
      for (const fail of [...this.waiters.values()]) fail(new Error('waitForMessage: the simulator was closed'));
      await this.checkpointer?.stop();
      this.store.close();
    })();
    return this.closing;
  }
}

/** A stored PDU decoded for display: octet strings as hex. */
function decodedJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(JSON.stringify(decodePdu(bytes), (_k, v) => (v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('hex') : v)));
  } catch {
    return null;
  }
}

async function unbindQuietly(c: Connection): Promise<void> {
  const bound = c.session.state.startsWith('BOUND');
  try {
    if (bound) await withTimeout(c.session.unbind(), 2000);
  } catch { /* peer gone or slow */ }
  c.session.close('local');
  c.socket.destroy();
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}
