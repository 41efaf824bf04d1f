// Loopback fixtures for the session tests: real TCP sockets on 127.0.0.1, port 0.

import { once } from 'node:events';
import net from 'node:net';
import { decodePdu, encodePdu, type Pdu, PduFramer, Session, type SessionOptions } from '../src/index.js';

export interface Connected {
  client: net.Socket;
  server: net.Socket;
  close(): Promise<void>;
}

/** A connected pair of sockets over loopback. */
export async function socketPair(): Promise<Connected> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  const accepted = once(srv, 'connection') as Promise<[net.Socket]>;
  const client = net.connect(port, '127.0.0.1');
  await once(client, 'connect');
  const [server] = await accepted;
  return {
    client,
    server,
    async close() {
      client.destroy();
      server.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    },
  };
}

export interface SessionPair {
  esme: Session;
  mc: Session;
  sockets: Connected;
  close(): Promise<void>;
}

/** An ESME session and an MC session talking to each other. */
export async function sessionPair(
  esmeOptions: Partial<SessionOptions> = {},
  mcOptions: Partial<SessionOptions> = {},
): Promise<SessionPair> {
  const sockets = await socketPair();
  const esme = new Session(sockets.client, { enquireLinkIntervalMs: 0, ...esmeOptions, role: 'esme' });
  const mc = new Session(sockets.server, { enquireLinkIntervalMs: 0, ...mcOptions, role: 'mc' });
  return {
    esme,
    mc,
    sockets,
    async close() {
      esme.close();
      mc.close();
      await sockets.close();
    },
  };
}

/** MC that accepts every bind with status 0 (and answers nothing else unless told). */
export function acceptBinds(mc: Session): void {
  mc.on('request', (pdu) => {
    if (pdu.command === 'bind_transceiver' || pdu.command === 'bind_transmitter' || pdu.command === 'bind_receiver') {
      mc.respond(pdu, { system_id: 'SMSC' });
    }
  });
}

/** A bound transceiver pair. */
export async function boundPair(
  esmeOptions: Partial<SessionOptions> = {},
  mcOptions: Partial<SessionOptions> = {},
): Promise<SessionPair> {
  const pair = await sessionPair(esmeOptions, mcOptions);
  acceptBinds(pair.mc);
  const resp = await pair.esme.bind({ type: 'transceiver', system_id: 'test', password: 'pw' });
  if (resp.command_status !== 0) throw new Error(`bind failed: ${resp.command_status}`);
  return pair;
}

/** A peer speaking raw bytes: what it receives is decoded independently of any Session. */
export class RawPeer {
  readonly received: Pdu[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private readonly framer = new PduFramer((frame) => {
    this.received.push(decodePdu(frame));
    this.waiters = this.waiters.filter((w) => {
      if (this.received.length >= w.n) w.resolve();
      return this.received.length < w.n;
    });
  });
  readonly ended: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.framer.push(chunk));
    socket.on('error', () => {});
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  send(pdu: Pdu): void {
    this.socket.write(encodePdu(pdu));
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves with the n-th PDU received (1-based count), waiting for it if needed. */
  async nth(n: number): Promise<Pdu> {
    if (this.received.length < n) await new Promise<void>((resolve) => this.waiters.push({ n, resolve }));
    return this.received[n - 1];
  }
}

/** A Session of `role` on one end, a RawPeer on the other. */
export async function sessionWithRawPeer(
  options: SessionOptions,
): Promise<{ session: Session; peer: RawPeer; socket: net.Socket; close(): Promise<void> }> {
  const sockets = await socketPair();
  const session = new Session(sockets.server, { enquireLinkIntervalMs: 0, ...options });
  const peer = new RawPeer(sockets.client);
  return {
    session,
    peer,
    socket: sockets.server, // the session's own socket
    async close() {
      session.close();
      await sockets.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until cond() holds, polling; fails after timeoutMs (generous: the machine may be loaded). */
export async function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export const submit = (text = 'hello', dest = '123456') =>
  ({
    command: 'submit_sm',
    source_addr: '1000',
    destination_addr: dest,
    short_message: Buffer.from(text),
  }) as const;
