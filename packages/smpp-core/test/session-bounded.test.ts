// Bounded memory and a fair share of each turn (issue 13): what a session holds for a peer that does not read is
// what maxPendingWriteBytes says (counted in our queue and the socket's buffer, held in chunks, not one object per
// PDU), checked after each PDU read; and sessions that are not bound share a TurnBudget of PDUs per turn.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePdu, PduFramer, Session, TurnBudget, WriteBatcher } from '../src/index.js';
import { boundPair, type SessionPair, sessionWithRawPeer, submit, until } from './session-helpers.js';

let cleanup: (() => Promise<void>) | undefined;
let pair: SessionPair | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
  await pair?.close();
  pair = undefined;
});

const ENQUIRE = encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 1 });
/** n enquire_links back to back */
function enquireLinks(n: number): Buffer {
  const b = Buffer.alloc(ENQUIRE.length * n);
  for (let i = 0; i < n; i++) {
    ENQUIRE.copy(b, i * ENQUIRE.length);
    b.writeUInt32BE(i + 1, i * ENQUIRE.length + 12);
  }
  return b;
}

/** Writes enquire_links from `peer` (which never reads) until `server` stops reading; returns how many. */
async function floodUntilPaused(peer: net.Socket, server: net.Socket): Promise<number> {
  const chunk = enquireLinks(4096);
  let sent = 0;
  while (!server.isPaused() && sent < 4096 * 4096) {
    if (!peer.write(chunk)) {
      let drained = false;
      peer.once('drain', () => (drained = true));
      await until(() => drained || server.isPaused(), 10_000, 'drain or pause');
    }
    sent += 4096;
    await new Promise((r) => setImmediate(r));
  }
  await until(() => server.isPaused(), 10_000, 'the session to stop reading');
  return sent;
}

class FakeSocket extends EventEmitter {
  chunks: Buffer[] = [];
  full = false;
  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }
}

describe('WriteBatcher while the socket refuses more', () => {
  it('holds the PDUs in 16 KiB chunks, not one Buffer each, and writes them all in order on drain', async () => {
    const sock = new FakeSocket();
    const b = new WriteBatcher(sock);
    sock.full = true;
    b.push(Buffer.alloc(16, 0xff));
    b.flush(); // the socket says it is full: blocked from here on
    expect(b.isBlocked).toBe(true);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const pdu = Buffer.alloc(16);
      pdu.writeUInt32BE(i, 12);
      b.push(pdu);
    }
    expect(b.pendingBytes).toBe(n * 16);
    // before: 100,000 Buffers (~10x their 16 octets in memory); now a chunk per 16 KiB
    expect(b.queuedBuffers).toBeLessThanOrEqual(Math.ceil((n * 16) / 16384) + 1);
    expect(b.peakBytes).toBe(n * 16);
    sock.full = false;
    sock.emit('drain');
    const out = Buffer.concat(sock.chunks.slice(1));
    expect(out.length).toBe(n * 16);
    for (let i = 0; i < n; i += 997) expect(out.readUInt32BE(i * 16 + 12)).toBe(i);
    expect(b.pendingBytes).toBe(0);
  });
});

describe('PduFramer stopped by its consumer', () => {
  it('holds the rest of the chunk when onFrame returns false and frames it on drain(), in order', () => {
    const seen: number[] = [];
    let stopAt = 3;
    const f = new PduFramer((frame) => {
      seen.push(frame.readUInt32BE(12));
      return seen.length !== stopAt;
    });
    const chunk = enquireLinks(10);
    f.push(chunk.subarray(0, chunk.length - 5)); // the last PDU incomplete
    expect(seen).toEqual([1, 2, 3]);
    expect(f.held).toBe(true);
    chunk.fill(0); // the caller's buffer may change: what is held is a copy
    stopAt = 6;
    f.drain();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    stopAt = -1;
    f.drain();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(f.held).toBe(false);
    f.push(enquireLinks(10).subarray(ENQUIRE.length * 10 - 5)); // the rest of the 10th
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('a peer that sends and never reads', () => {
  it('before a bind: at most maxPendingWriteBytesUnbound (64 KiB) queued, one answer over at most; all answered once it reads', async () => {
    const s = await sessionWithRawPeer({ role: 'mc', sessionInitTimeoutMs: 0 });
    cleanup = s.close;
    const peer = s.peer.socket;
    peer.pause(); // never reads
    peer.removeAllListeners('data');
    const sent = await floodUntilPaused(peer, s.socket);
    expect(s.session.state).toBe('OPEN');
    // checked after each PDU: never more than the bound plus one 16-octet enquire_link_resp
    expect(s.session.peakPendingWriteBytes).toBeGreaterThan(64 * 1024 - 16);
    expect(s.session.peakPendingWriteBytes).toBeLessThanOrEqual(64 * 1024 + 16);
    expect(s.session.pendingWriteBytes).toBeLessThanOrEqual(64 * 1024 + 16);
    let bytes = 0;
    let last = 0;
    let inOrder = true;
    const framer = new PduFramer((f) => {
      const seq = f.readUInt32BE(12);
      if (seq !== (last % 4096) + 1) inOrder = false;
      last = seq;
      bytes += f.length;
    });
    peer.on('data', (d: Buffer) => framer.push(d));
    peer.resume();
    await until(() => bytes === sent * 16, 30_000, 'every answer');
    expect(inOrder).toBe(true);
    expect(s.socket.isPaused()).toBe(false);
    expect(s.session.peakPendingWriteBytes).toBeLessThanOrEqual(64 * 1024 + 16);
  });

  it('once bound: maxPendingWriteBytes is the bound', async () => {
    pair = await boundPair({}, { maxPendingWriteBytes: 256 * 1024 });
    const client = pair.sockets.client;
    client.pause(); // the ESME's socket: nobody reads what the MC writes
    client.removeAllListeners('data');
    await floodUntilPaused(client, pair.sockets.server);
    expect(pair.mc.peakPendingWriteBytes).toBeGreaterThan(256 * 1024 - 16);
    expect(pair.mc.peakPendingWriteBytes).toBeLessThanOrEqual(256 * 1024 + 16);
    pair.sockets.client.destroy();
  });
});

describe('a TurnBudget shared by sessions that are not bound', () => {
  it('handles at most its PDUs per turn from them all, while a bound session is served in full', async () => {
    const budget = new TurnBudget(32);
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as net.AddressInfo).port;
    let unboundIn = 0;
    const sessions: Session[] = [];
    server.on('connection', (sock) =>
      sessions.push(
        new Session(sock, {
          role: 'mc',
          enquireLinkIntervalMs: 0,
          sessionInitTimeoutMs: 0,
          unboundTurnBudget: budget,
          trace: (dir) => {
            if (dir === 'in') unboundIn++;
          },
        }),
      ),
    );
    const peers: net.Socket[] = [];
    const answered: number[] = [];
    for (let i = 0; i < 10; i++) {
      const p = net.connect(port, '127.0.0.1');
      await new Promise((r) => p.once('connect', r));
      answered.push(0);
      p.on('data', (d: Buffer) => (answered[i] += d.length / 16));
      peers.push(p);
    }
    // a bound pair with the same budget: its PDUs do not take from it
    pair = await boundPair({}, { unboundTurnBudget: budget });
    pair.mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') pair!.mc.respond(pdu, { message_id: '1' });
    });
    cleanup = async () => {
      for (const p of peers) p.destroy();
      for (const s of sessions) s.close();
      await new Promise((r) => server.close(r));
    };
    // count the unbound PDUs handled between two turns of the event loop
    let maxPerTurn = 0;
    let running = true;
    let mark = 0;
    const tick = () => {
      maxPerTurn = Math.max(maxPerTurn, unboundIn - mark);
      mark = unboundIn;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const each = 2000;
    for (const p of peers) p.write(enquireLinks(each));
    const submits = Array.from({ length: 200 }, (_, i) => pair!.esme.request(submit(`m${i}`)));
    const resps = await Promise.all(submits);
    expect(resps.every((r) => r.command_status === 0)).toBe(true);
    await until(() => answered.every((n) => n === each), 30_000, 'every enquire_link answered');
    running = false;
    // one turn's budget, and at most one more where the window of two ticks straddles a refill
    expect(maxPerTurn).toBeLessThanOrEqual(2 * 32);
    expect(budget.deferred).toBeGreaterThan(0);
    expect(unboundIn).toBe(10 * each);
  });
});

describe('a graceful close while the peer goes on sending', () => {
  it('reads (and drops) a little, then cuts the peer off instead of reading it for the whole grace period', async () => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    // a peer that keeps its side open and sending after our FIN
    const peer = net.connect({
      port: (server.address() as net.AddressInfo).port,
      host: '127.0.0.1',
      allowHalfOpen: true,
    });
    peer.on('error', () => {});
    peer.on('data', () => {});
    const sock = await accepted;
    const session = new Session(sock, { role: 'mc', sessionInitTimeoutMs: 0, closeGraceMs: 60_000 });
    cleanup = async () => {
      peer.destroy();
      sock.destroy();
      await new Promise((r) => server.close(r));
    };
    const chunk = enquireLinks(4096);
    let writing = true;
    const pump = () => {
      while (writing && !peer.destroyed && peer.write(chunk));
      if (writing && !peer.destroyed) peer.once('drain', pump);
    };
    pump();
    await until(() => sock.bytesRead > 1024 * 1024, 10_000, 'the session reading');
    session.close('local');
    await until(() => sock.destroyed, 10_000, 'the socket destroyed long before closeGraceMs');
    writing = false;
  });
});
