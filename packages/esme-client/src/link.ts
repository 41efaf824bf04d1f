// One bind: a socket (TCP or TLS), a Session over it, the bind, and reconnection with back-off.
// The link owns no message logic: it reports 'up' (with the bound session) and 'down', and hands incoming
// requests to its owner's onRequest.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { type Logger, type Pdu, type RequestPdu, Session, statusName } from '@smppkit/core';
import { ConnectError } from './errors.js';
import type { ClientOptions } from './options.js';
import { type LinkState, ReconnectMachine } from './reconnect.js';

export type LinkBindType = 'transceiver' | 'transmitter' | 'receiver';
export type TraceFn = (dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer) => void;

export interface LinkEvents {
  state: [state: LinkState, prev: LinkState, detail?: unknown];
  up: [session: Session];
  down: [reason: string];
  reconnecting: [delayMs: number, attempt: number];
  error: [err: Error];
}

export class Link extends EventEmitter<LinkEvents> {
  readonly machine: ReconnectMachine;
  session: Session | undefined;
  private timer: NodeJS.Timeout | undefined;
  private socket: net.Socket | undefined;
  private firstStart: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private closing = false;

  constructor(
    readonly name: string,
    readonly bindType: LinkBindType,
    private readonly o: ClientOptions,
    private readonly logger: Logger,
    private readonly trace: TraceFn | undefined,
    /** Every request the SMSC sends on this link (called directly: once per receipt, no event in between). */
    private readonly onRequest: (pdu: RequestPdu, session: Session) => void,
  ) {
    super();
    this.machine = new ReconnectMachine(o.reconnect);
    this.machine.on('state', (s: LinkState, prev: LinkState, detail: unknown) => this.emit('state', s, prev, detail));
  }

  get state(): LinkState {
    return this.machine.state;
  }

  get bound(): boolean {
    return this.machine.state === 'bound';
  }

  /** Connect and bind; resolves once bound. The first failure rejects (wrong credentials must not loop). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstStart = { resolve, reject };
      this.attempt();
    });
  }

  private attempt(): void {
    if (this.machine.fire(this.machine.state === 'idle' ? 'connect' : 'retry') !== 'connecting') return;
    const o = this.o;
    let settled = false;
    const socket = o.tls
      ? tls.connect({ host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ...o.tls })
      : net.connect({ host: o.host, port: o.port });
    this.socket = socket;
    socket.setNoDelay(true);
    const connectTimer = setTimeout(
      () => fail(new ConnectError(`connect to ${o.host}:${o.port} timed out after ${o.connectTimeoutMs} ms`)),
      o.connectTimeoutMs,
    );
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      socket.destroy();
      this.onFailure(err);
    };
    socket.once('error', (err) => fail(new ConnectError(`connect to ${o.host}:${o.port} failed: ${err.message}`)));
    socket.once(o.tls ? 'secureConnect' : 'connect', () => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      socket.removeAllListeners('error');
      if (this.closing) {
        socket.destroy();
        this.machine.fire('failed');
        return;
      }
      this.machine.fire('connected');
      void this.bind(socket);
    });
  }

  private async bind(socket: net.Socket): Promise<void> {
    const o = this.o;
    // The first bytes the peer sends, kept to say what it is when it is not an SMPP server (an HTTP port, …).
    let firstBytes: Buffer | undefined;
    socket.once('data', (chunk: Buffer) => (firstBytes = chunk));
    const session = new Session(socket, {
      role: 'esme',
      windowSize: o.windowSize,
      responseTimeoutMs: o.responseTimeoutMs,
      windowWaitTimeoutMs: Math.max(o.responseTimeoutMs, 30_000),
      enquireLinkIntervalMs: o.enquireLinkIntervalMs,
      strictness: 'lenient', // accept what real SMSCs send (over-long C-strings, counted in session.stats.leniency)
      // what one turn produces in one write: a window of submits and the answers to a read's receipts (core's 32
      // made 6 writes a turn at window 100 with receipts; in bench/client-ab.ts against the raw SMSC, client CPU
      // per message 7.1 -> 6.1 µs, without receipts 2.5 -> 2.1, medians of 10 alternated runs)
      maxPdusPerWrite: Math.min(256, Math.max(32, 2 * o.windowSize)),
      writeTiming: o.writeTiming,
      logger: this.logger,
      ...(this.trace ? { trace: this.trace } : {}),
    });
    this.session = session;
    session.on('error', (err: Error) => this.logger.debug({ err: err.message, link: this.name }, 'session error'));
    session.on('request', (pdu) => this.onRequest(pdu, session));
    let bound = false;
    session.on('close', (reason: string) => {
      if (this.session === session) this.session = undefined;
      if (bound && this.closing) {
        this.machine.fire('closed');
      } else if (bound) {
        this.logger.warn({ link: this.name, reason }, 'SMPP connection lost');
        this.emit('down', reason);
        this.onFailure(new ConnectError(`connection closed (${reason})`), true);
      }
    });
    const command = `bind_${this.bindType}`;
    const where = `${o.host}:${o.port}`;
    // The bind answer is bounded like the connect: connectTimeoutMs (or responseTimeoutMs when shorter).
    const bindTimeoutMs = Math.min(o.connectTimeoutMs, o.responseTimeoutMs);
    let bindTimer: NodeJS.Timeout | undefined;
    const noAnswer = new Promise<never>((_, reject) => {
      bindTimer = setTimeout(
        () => reject(new ConnectError(`no ${command}_resp within ${bindTimeoutMs} ms from ${where}`)),
        bindTimeoutMs,
      );
    });
    try {
      const resp = await Promise.race([
        session.bind({
          type: this.bindType,
          system_id: o.system_id,
          password: o.password,
          system_type: o.system_type,
          interface_version: o.interface_version,
          addr_ton: o.addr_ton,
          addr_npi: o.addr_npi,
          address_range: o.address_range,
        }),
        noAnswer,
      ]);
      clearTimeout(bindTimer);
      if (resp.command_status !== 0) {
        session.close('local');
        this.onFailure(
          new ConnectError(
            `${command} as '${o.system_id}' rejected: ${statusName(resp.command_status)}`,
            resp.command_status,
          ),
        );
        return;
      }
      if (this.closing) {
        await session.unbind().catch(() => session.close('local'));
        this.machine.fire('closed');
        return;
      }
      bound = true;
      this.machine.fire('bound');
      this.logger.info({ link: this.name, host: o.host, port: o.port, bind: this.bindType }, 'SMPP bound');
      this.emit('up', session);
      if (this.firstStart) {
        this.firstStart.resolve();
        this.firstStart = undefined;
      }
    } catch (err) {
      clearTimeout(bindTimer);
      session.close('local');
      const e = err as Error & { code?: string };
      const notSmpp = firstBytes && notSmppAnswer(firstBytes);
      if (notSmpp) this.onFailure(new ConnectError(`${where} is not an SMPP server: it answered ${notSmpp}`));
      else if (err instanceof ConnectError) this.onFailure(err);
      else if (e.code === 'RESPONSE_TIMEOUT')
        this.onFailure(new ConnectError(`no ${command}_resp within ${o.responseTimeoutMs} ms from ${where}`));
      else if (e.code === 'CLOSED')
        this.onFailure(new ConnectError(`${where} closed the connection before answering ${command}`));
      else this.onFailure(new ConnectError(`${command} failed: ${e.message}`));
    }
  }

  private onFailure(err: Error, dropped = false): void {
    if (this.closing) {
      this.machine.fire(dropped ? 'dropped' : 'failed');
      return;
    }
    if (this.firstStart) {
      const first = this.firstStart;
      this.firstStart = undefined;
      this.machine.fire('failed');
      this.machine.fire('close');
      first.reject(err);
      return;
    }
    if (this.machine.fire(dropped ? 'dropped' : 'failed') !== 'waiting') return;
    if (!this.machine.shouldRetry) {
      this.machine.fire('close');
      this.emit('error', new ConnectError(`giving up after ${this.machine.failures} attempts: ${err.message}`));
      return;
    }
    const delay = this.machine.nextDelayMs();
    this.logger.info(
      { link: this.name, delayMs: Math.round(delay), attempt: this.machine.failures, err: err.message },
      'SMPP reconnecting',
    );
    this.emit('reconnecting', delay, this.machine.failures);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt();
    }, delay);
  }

  /**
   * Unbind gracefully (outstanding requests drain) within `graceMs`, then close the connection in any case;
   * stop reconnecting.
   */
  async close(graceMs = 5000): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const session = this.session;
    const wasBound = this.machine.state === 'bound';
    this.machine.fire('close');
    if (session && wasBound && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        session.unbind().catch(() => undefined),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      if (timer) clearTimeout(timer);
    }
    if (session && session.state !== 'CLOSED') session.close('local');
    else if (!session && this.socket && !this.socket.destroyed) this.socket.destroy();
    this.machine.fire('closed');
  }

  /** Drop the connection now (tests, failover); reconnection follows unless closing. */
  destroy(): void {
    this.session?.close('local');
  }
}

/**
 * When the first bytes a peer sent cannot begin an SMPP PDU (command_length under 16 or over 64 KiB, or a
 * command_id outside SMPP's range), what they look like: the first line quoted when it is text (an HTTP server's
 * "HTTP/1.1 400 Bad Request"), else the first octets in hex. Undefined when they may be SMPP.
 */
export function notSmppAnswer(bytes: Buffer): string | undefined {
  if (bytes.length >= 8) {
    const len = bytes.readUInt32BE(0);
    const id = bytes.readUInt32BE(4);
    if (len >= 16 && len <= 65_536 + 16 && (id & 0x7fffffff) <= 0xffff) return undefined;
  } else if (bytes.length >= 4) {
    const len = bytes.readUInt32BE(0);
    if (len >= 16 && len <= 65_536 + 16) return undefined;
  }
  const head = bytes.subarray(0, 200).toString('latin1');
  const line = head.split(/\r?\n/)[0]!;
  if (line.length > 0 && /^[\x20-\x7e]+$/.test(line)) return `"${line.length > 80 ? `${line.slice(0, 80)}…` : line}"`;
  return `0x${bytes.subarray(0, 16).toString('hex')}${bytes.length > 16 ? '…' : ''}`;
}
