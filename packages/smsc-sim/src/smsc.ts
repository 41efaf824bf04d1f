// The simulator, assembled: the listeners (TCP, TLS) and one Connection per peer on the core Session engine, and
// the rooms each gets only the part it uses — handlers a HandlerContext, the delivery scheduler its DeliveryDeps,
// connections a ConnectionHost, the admin API an AdminTarget. This file wires them; it holds no rule of its own.
import net from 'node:net';
import type tls from 'node:tls';
import { CommandStatus, type Pdu, Session } from '@smppkit/core';
import { Accounts } from './accounts/accounts.js';
import { TokenBuckets } from './accounts/throttle.js';
import { ActivityMetrics } from './api/activity.js';
import { listMessages, type MessageDetail, type MessagePage, messageDetail } from './api/inspect.js';
import type { MessageView } from './api/message-view.js';
import { type TextFilter, Waiters } from './api/waiters.js';
import { validateRules } from './config/load.js';
import { ConfigError, type FaultConfig, type OutbindTarget, type Rule, type SimConfig } from './config/types.js';
import { Alerts } from './delivery/alerts.js';
import { Delivery } from './delivery/delivery.js';
import { injectMo, type MoRequest, type MoResult } from './delivery/mo.js';
import { FaultRegistry } from './faults/registry.js';
import { CommitAnswers } from './handlers/commit-answers.js';
import { ConcatGroups } from './handlers/concat-groups.js';
import type { HandlerContext } from './handlers/context.js';
import { handleRequest } from './handlers/dispatch.js';
import { ScenarioEngine } from './scenario/scenario.js';
import { ConnectionLog } from './server/conn-log.js';
import { bindCounts, Connection, type ConnectionHost, type ConnectionInfo } from './server/connection.js';
import { Guard } from './server/guard.js';
import { connectTo, listen, tlsServer, unbindQuietly } from './server/listeners.js';
import { sessionOptions } from './server/session-options.js';
import { Sweep } from './server/sweep.js';
import { Checkpointer } from './store/checkpointer.js';
import { MessageStore } from './store/message-store.js';
import type { ScanWindow } from './store/queries.js';
import type { MessageFilter } from './store/record.js';
import { adaptLogger, createLogger, type Logger, type MinimalLogger } from './util/logger.js';

export class Smsc implements HandlerContext, ConnectionHost {
  readonly store: MessageStore;
  readonly accounts: Accounts;
  readonly scenario: ScenarioEngine;
  readonly metrics: ActivityMetrics;
  readonly delivery: Delivery;
  readonly alerts: Alerts;
  readonly log: Logger;
  readonly groups = new ConcatGroups();
  readonly answers = new CommitAnswers();
  readonly connections = new Map<number, Connection>();
  readonly startedAt = Date.now();
  readonly defaultValidityMs: number;
  /** failed binds throttled, connections not bound limited per source, their share of each turn */
  readonly guard: Guard;
  port = 0;
  tlsPort: number | null = null;
  private tcp: net.Server | null = null;
  private tls: tls.Server | null = null;
  private nextConnId = 1;
  private lastSecond = Date.now();
  private readonly sweep: Sweep;
  private readonly buckets = new TokenBuckets();
  private readonly faultRegistry: FaultRegistry;
  private readonly waiters = new Waiters();
  /** called after each bind and each closed session (the admin API's event stream) */
  readonly sessionsChanged = new Set<() => void>();
  private closing: Promise<void> | null = null;
  private checkpointer: Checkpointer | null = null;
  readonly random: () => number;

  constructor(
    readonly config: SimConfig,
    logger?: MinimalLogger,
  ) {
    this.log = logger ? adaptLogger(logger) : createLogger(config.logLevel, undefined, config.logFormat);
    this.defaultValidityMs = config.defaultValidityMs;
    this.sweep = new Sweep(this.log);
    this.guard = new Guard(config, this.log);
    this.store = new MessageStore(config.store);
    this.accounts = new Accounts(config.accounts, config.receipt);
    this.scenario = new ScenarioEngine(config.rules, config.seed, config.defaultDelayMs);
    this.random = () => this.scenario.random();
    this.faultRegistry = new FaultRegistry(config.faults, this.accounts);
    this.metrics = new ActivityMetrics({
      binds: () => bindCounts(this.connections.values()),
      windowInUse: () => {
        let n = 0;
        for (const c of this.connections.values()) n += c.pending;
        return n;
      },
      queueDepth: () => this.delivery.depth(),
      deliveriesHeld: () => this.delivery.held(),
      deliveryRefusals: () => this.delivery.refusals(),
    });
    this.delivery = new Delivery({
      store: this.store,
      metrics: this.metrics,
      log: this.log,
      deliveryWindow: config.deliveryWindow,
      deliveryRetryMs: config.deliveryRetryMs,
      deliveryQueueLimit: config.deliveryQueueLimit,
    });
    this.alerts = new Alerts(this.store, () => this.connections.values(), this.metrics, this.log);
    this.store.onLostInserts = (ids) => this.delivery.forgetMessages(ids);
    this.store.onState = (state) => this.metrics.stateEntered(state);
    this.store.onCommit(() => this.waiters.check());
    // after the delivery's listener: the receipts a commit releases leave in the same write as its answers
    this.store.onCommit(this.answers.flush);
  }

  async start(): Promise<void> {
    this.delivery.recover();
    if (this.store.path)
      this.checkpointer = new Checkpointer(this.store, (m) => this.log.warn({ err: m }, 'WAL checkpoint failed'));
    this.tcp = net.createServer((socket) => this.accept(socket, false));
    this.port = await listen(this.tcp, this.config.port, this.config.host);
    if (this.config.tls) {
      this.tls = tlsServer(this.config.tls, (socket) => this.accept(socket, true));
      this.tlsPort = await listen(this.tls, this.config.tls.port, this.config.host);
    }
    this.sweep.start((now) => this.onSweep(now));
    if (this.accounts.open)
      this.log.warn('no accounts configured: any system_id and password may bind, from a loopback address only');
    for (const o of this.config.outbind)
      this.outbind(o).catch((e) => this.log.warn({ err: (e as Error).message, target: o }, 'outbind failed'));
  }

  /** Wraps a connected socket (accepted, or opened for outbind) in a Session and a Connection. */
  private attach(socket: net.Socket, isTls: boolean, outbound = false): Connection {
    socket.setNoDelay(true);
    const id = this.nextConnId++;
    const log = new ConnectionLog(this.log, { conn: id, remote: `${socket.remoteAddress}:${socket.remotePort}` });
    const session = new Session(socket, sessionOptions(this.config, log, this.guard.turnBudget, this.store.gc));
    const conn = new Connection(id, session, socket, isTls, this, outbound, log);
    this.connections.set(conn.id, conn);
    session.on('request', (pdu: Pdu, frame: Buffer) => {
      try {
        handleRequest(this, conn, pdu as Pdu & { sequence_number: number }, frame);
      } catch (e) {
        // a bug in a handler must not take the process down: answer ESME_RSYSERR and go on
        this.log.error({ err: (e as Error).stack, command: pdu.command }, 'request handler failed');
        try {
          conn.session.respond(pdu, { command_status: CommandStatus.ESME_RSYSERR });
        } catch {
          /* closed */
        }
      }
    });
    session.on('close', () => this.detach(conn));
    session.on('error', (err: Error) => this.log.debug({ conn: conn.id, err: err.message }, 'session error'));
    socket.on('error', () => {}); // reported through the session's close
    return conn;
  }

  private accept(socket: net.Socket, isTls: boolean): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const source = this.guard.admit(socket.remoteAddress, Date.now());
    if (source === null) {
      socket.destroy();
      return;
    }
    const conn = this.attach(socket, isTls);
    conn.unboundSource = source;
    this.log.debug({ conn: conn.id, remote: conn.remote, tls: isTls }, 'connection');
  }

  private detach(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.connections.delete(conn.id);
    this.guard.release(conn);
    if (conn.account) this.accounts.release(conn.account);
    this.delivery.connectionClosed(conn);
    // no line of its own: the session's 'session closed' names conn, remote, systemId and bindType (its bindings)
    for (const fn of this.sessionsChanged) fn();
  }

  /** After a successful bind: account and bind type are set on the connection. */
  bound(conn: Connection): void {
    conn.log.setBindings({ systemId: conn.account?.systemId, bindType: conn.bindType });
    this.guard.release(conn);
    this.log.info(
      { conn: conn.id, systemId: conn.account?.systemId, bindType: conn.bindType, remote: conn.remote },
      'bound',
    );
    const f = this.faultsFor(conn.account?.systemId ?? null);
    if (f?.stopReadingMs) {
      conn.session.pause();
      this.defer(f.stopReadingMs, () => {
        if (!conn.closed) conn.session.resume();
      });
    }
    if (conn.bindType === 'receiver' || conn.bindType === 'transceiver') this.delivery.addReceiver(conn);
    this.alerts.bound(conn);
    for (const fn of this.sessionsChanged) fn();
  }

  takeToken(systemId: string, tps: number, now: number): boolean {
    return this.buckets.take(systemId, tps, now);
  }

  faultsFor(systemId: string | null): FaultConfig | undefined {
    return this.faultRegistry.faultsFor(systemId);
  }

  /** Live fault injection: for one account, or for every account without its own. undefined clears. */
  setFaults(faults: FaultConfig | undefined, systemId?: string): void {
    this.faultRegistry.set(faults, systemId);
  }

  faults(): { global: FaultConfig | null; accounts: Record<string, FaultConfig> } {
    return this.faultRegistry.list();
  }

  setRules(rules: Rule[]): void {
    const r = validateRules(rules);
    if (!Array.isArray(r)) throw new ConfigError(`rules: ${r.errors.join('; ')}`);
    this.scenario.setRules(r);
  }

  /** Runs fn after about ms (on the sweep); at once when ms <= 0. */
  defer(ms: number, fn: () => void): void {
    this.sweep.defer(ms, fn);
  }

  private onSweep(now: number): void {
    if (now - this.lastSecond >= 1000) {
      this.metrics.second();
      this.guard.second(now);
      this.lastSecond = now;
      this.groups.expire(now);
      for (const c of this.connections.values()) c.second();
    }
    this.delivery.tick(now);
    // implicit transitions are not commits: waiters for a state are also re-checked on the sweep
    this.waiters.sweep(now);
  }

  // ---- inspection and control (programmatic API and HTTP) ----

  /** scan: the admin API's bounded look (store/queries.ts); without it every row the filter needs is read */
  messages(filter: MessageFilter = {}, scan?: ScanWindow): MessagePage {
    return listMessages(this.store, filter, scan);
  }

  /** One message by the id an ESME was given (or the numeric id), with its parts' PDUs and state history. */
  message(id: string, systemId?: string): MessageDetail | undefined {
    return messageDetail(this.store, this.delivery, id, systemId);
  }

  /** Resolves with the first logical message matching the filter (already stored or arriving within timeoutMs). */
  waitForMessage(filter: MessageFilter & TextFilter = {}, timeoutMs = 5000): Promise<MessageView> {
    return this.waiters.wait(
      () => this.messages({ ...filter, limit: 1000, order: 'asc' }).messages,
      filter.text,
      filter,
      timeoutMs,
    );
  }

  injectMo(req: MoRequest): MoResult {
    const r = injectMo(this, req);
    this.metrics.mo(r.parts);
    return r;
  }

  /** Connects to an ESME and sends outbind; the ESME answers with a bind on that connection. */
  async outbind(target: OutbindTarget): Promise<{ connection: number }> {
    const conn = this.attach(await connectTo(target.port, target.host), false, true);
    conn.session.send({ command: 'outbind', command_status: 0, system_id: target.systemId, password: target.password });
    this.log.info({ conn: conn.id, target: `${target.host}:${target.port}` }, 'outbind sent');
    return { connection: conn.id };
  }

  sessions(): ConnectionInfo[] {
    return [...this.connections.values()].map((c) => c.info());
  }

  /**
   * Graceful stop: stop accepting, unbind every session (each answers the requests already read, after their commit
   * and delay, then sends unbind; requests read from then on are refused by the session, never stored), stop the
   * sweep (it runs the delayed answers until then), flush the store.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      const servers = [this.tcp, this.tls].filter((s): s is net.Server => s !== null);
      const stopped = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
      await Promise.all([...this.connections.values()].map((c) => unbindQuietly(c)));
      this.sweep.stop();
      await Promise.all(stopped);
      this.delivery.stop();
      this.waiters.failAll(new Error('waitForMessage: the simulator was closed'));
      await this.checkpointer?.stop();
      this.store.close();
    })();
    return this.closing;
  }
}
