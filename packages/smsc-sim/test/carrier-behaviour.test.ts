// Behaving like a carrier when told to: fault injection, idle close, receipt retries, outbind, the TLS listener.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePdu, type Pdu, PduFramer, Session } from '@smppkit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { FRAMED_SQL } from '../src/store/pdu-fields.js';
import { bindPdu, enquireLinkPdu, submitSmPdu } from './pdus.js';
import { boundPeer, connectPeer, type Peer, type PeerPdu, status } from './smpp-peer.js';

let smsc: SmscHandle;
const peers: Peer[] = [];
const sub = (p: Peer, to = '4479000001') =>
  p.call('submit_sm', { source_addr: '1', destination_addr: to, short_message: 'x', registered_delivery: 1 });
const until = async (f: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !f(); ) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    store: 'memory',
    logLevel: 'silent',
    defaultDelayMs: 10,
    deliveryRetryMs: 200,
    accounts: [
      { systemId: 'faulty', password: 'pw' },
      { systemId: 'idle', password: 'pw' },
      { systemId: 'retry', password: 'pw' },
      { systemId: 'outb', password: 'pw', numbers: ['4477*'] },
      { systemId: 'tls', password: 'pw' },
    ],
    idleTimeoutMs: 0,
  });
});
afterEach(async () => {
  smsc.setFaults(undefined, 'faulty');
  for (const p of peers.splice(0)) p.close();
  for (let i = 0; i < 200 && smsc.sessions().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  await smsc.close();
});

async function faulty(faults: Parameters<SmscHandle['setFaults']>[0]): Promise<Peer> {
  smsc.setFaults(faults, 'faulty');
  const p = await boundPeer(smsc.port, 'transceiver', 'faulty', 'pw');
  peers.push(p);
  return p;
}

describe('fault injection', () => {
  it('drops responses', async () => {
    const p = await faulty({ dropFraction: 1 });
    expect(await within(sub(p), 400)).toBe('timeout');
  });

  it('answers with generic_nack', async () => {
    const p = await faulty({ genericNackFraction: 1 });
    const r = await sub(p);
    expect(r.command).toBe('generic_nack');
    expect(r.command_status).toBe(status.ESME_RSYSERR);
  });

  it('answers with a given status', async () => {
    const p = await faulty({ errorFraction: 1, errorStatus: status.ESME_RSUBMITFAIL });
    expect((await sub(p)).command_status).toBe(status.ESME_RSUBMITFAIL);
  });

  it('delays responses', async () => {
    const p = await faulty({ delayFraction: 1, delayMs: 300 });
    const t0 = Date.now();
    expect((await sub(p)).command_status).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('sends unbind after N PDUs, and drops the connection after N PDUs (the bind counts)', async () => {
    const p = await faulty({ unbindAfterPdus: 2 });
    expect((await sub(p)).command_status).toBe(0);
    const u = await p.next('unbind');
    expect(u.command).toBe('unbind');
    p.session.send(u.response());
    const q = await faulty({ disconnectAfterPdus: 3 });
    expect((await sub(q)).command_status).toBe(0);
    q.session.submit_sm({ source_addr: '1', destination_addr: '4479000001', short_message: 'x' });
    await q.closed;
  });

  it('stops reading after the bind (backpressure) for a while', async () => {
    const p = await faulty({ stopReadingMs: 400 });
    const t0 = Date.now();
    expect((await sub(p)).command_status).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  });

  it('sends a malformed PDU in place of a response', async () => {
    smsc.setFaults({ malformedFraction: 1 }, 'faulty');
    const socket = net.connect(smsc.port, '127.0.0.1');
    const frames: Buffer[] = [];
    const framer = new PduFramer((f) => frames.push(f));
    socket.on('data', (c) => framer.push(c));
    await new Promise((r) => socket.on('connect', r));
    socket.write(bindPdu(1, 'faulty'));
    socket.write(enquireLinkPdu(2));
    socket.write(submitSmPdu(3, { source_addr_ton: 0, source_addr_npi: 0, source_addr: '1' }));
    const answer = () => frames.find((f) => f.readUInt32BE(4) === 0x80000004 && f.readUInt32BE(12) === 3);
    for (let i = 0; i < 100 && !answer(); i++) await new Promise((r) => setTimeout(r, 20));
    socket.destroy();
    expect(answer()).toBeDefined();
    expect(() => decodePdu(answer()!)).toThrow();
  });
});

describe('sessions', () => {
  it('closes a session idle longer than idleTimeoutMs', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', idleTimeoutMs: 300 });
    try {
      const p = await boundPeer(sim.port, 'transceiver', 'x', 'y');
      expect(await within(p.closed, 5000)).not.toBe('timeout');
    } finally {
      await sim.close();
    }
  });

  it('re-sends a receipt the ESME did not acknowledge', async () => {
    const p = await boundPeer(smsc.port, 'transceiver', 'retry', 'pw', { answerDeliver: null });
    peers.push(p);
    const r = await sub(p);
    const first = await p.next('deliver_sm');
    p.session.send(first.response({ command_status: status.ESME_RX_T_APPN }));
    const again: PeerPdu = await p.next('deliver_sm', 5000);
    expect(again.receipted_message_id).toBe(r.message_id);
    p.session.send(again.response());
  });

  it('sends a receipt due at once right after the message is stored, never before its submit_sm_resp', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      const p = await boundPeer(sim.port, 'transceiver', 'x', 'y');
      const order: string[] = [];
      p.session.on('pdu', (pdu: PeerPdu) => {
        if (pdu.command === 'submit_sm_resp') order.push(`resp:${pdu.message_id}`);
        if (pdu.command === 'deliver_sm') order.push(`dlr:${pdu.receipted_message_id}`);
      });
      const t0 = Date.now();
      const resps = await Promise.all(Array.from({ length: 200 }, () => sub(p)));
      await until(() => order.filter((o) => o.startsWith('dlr:')).length === 200);
      expect(Date.now() - t0).toBeLessThan(5000);
      for (const r of resps)
        expect(order.indexOf(`resp:${r.message_id}`)).toBeLessThan(order.indexOf(`dlr:${r.message_id}`));
      p.session.close();
    } finally {
      await sim.close();
    }
  });

  it('answers ESME_RSYSERR when the store cannot commit, and sends no receipt for that message', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      // a store that fails (disk full, I/O error): every insert of a message to 999 aborts its transaction (its
      // dest_addr as readers see it: a row written with its frame's holds NULL there)
      const dest = FRAMED_SQL.dest_addr.replace(/\b(pdu|dest_addr)\b/g, 'NEW.$1');
      sim.smsc.store.db.exec(
        `CREATE TRIGGER fail BEFORE INSERT ON messages WHEN ${dest} = '999' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`,
      );
      const p = await boundPeer(sim.port, 'transceiver', 'x', 'y');
      const bad = await sub(p, '999');
      expect(bad.command_status).toBe(status.ESME_RSYSERR);
      const good = await sub(p, '4479000002');
      expect(good.command_status).toBe(0);
      const receipt = await p.next('deliver_sm');
      expect(receipt.receipted_message_id).toBe(good.message_id);
      await new Promise((r) => setTimeout(r, 200)); // and nothing else
      expect(p.received.filter((x) => x.command === 'deliver_sm')).toHaveLength(0);
      expect(sim.smsc.messages({}).messages.map((m) => m.to)).toEqual(['4479000002']);
      p.session.close();
    } finally {
      await sim.close();
    }
  });

  it('keeps at most deliveryWindow deliver_sm unanswered per session, the rest follow as answers come', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0, deliveryWindow: 3 });
    try {
      const p = await boundPeer(sim.port, 'transceiver', 'x', 'y', { answerDeliver: null });
      for (let i = 0; i < 8; i++) await sub(p);
      await new Promise((r) => setTimeout(r, 300));
      const first = p.received.filter((x) => x.command === 'deliver_sm');
      expect(first).toHaveLength(3);
      for (const d of first) p.session.send(d.response());
      p.received.length = 0;
      await new Promise((r) => setTimeout(r, 300));
      const next = p.received.filter((x) => x.command === 'deliver_sm');
      expect(next).toHaveLength(3);
      p.session.close();
    } finally {
      await sim.close();
    }
  });

  it('queues receipts while no receiver is bound and sends them when one binds', async () => {
    const tx = await boundPeer(smsc.port, 'transmitter', 'retry', 'pw');
    peers.push(tx);
    const ids = [(await sub(tx)).message_id, (await sub(tx)).message_id];
    await smsc.waitForMessage({ systemId: 'retry', state: 'DELIVERED', to: '4479000001' });
    await new Promise((r) => setTimeout(r, 100));
    const rx = await boundPeer(smsc.port, 'receiver', 'retry', 'pw');
    peers.push(rx);
    const got = [await rx.next('deliver_sm'), await rx.next('deliver_sm')].map((d) => d.receipted_message_id);
    expect(got.sort()).toEqual(ids.sort());
  });
});

describe('outbind', () => {
  it('connects out, sends outbind, and delivers to the ESME that binds back', async () => {
    const received: Pdu[] = [];
    let esme: Session | undefined;
    const server = net.createServer((socket) => {
      esme = new Session(socket, { role: 'esme', enquireLinkIntervalMs: 0 });
      esme.on('request', (pdu: Pdu) => {
        if (pdu.command === 'outbind') {
          expect(pdu).toMatchObject({ system_id: 'outb', password: 'pw' });
          void esme!.bind({ type: 'receiver', system_id: 'outb', password: 'pw' });
          return;
        }
        received.push(pdu);
        esme!.respond(pdu);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      await smsc.outbind({
        host: '127.0.0.1',
        port: (server.address() as net.AddressInfo).port,
        systemId: 'outb',
        password: 'pw',
      });
      for (let i = 0; i < 200 && !smsc.sessions().some((s) => s.systemId === 'outb' && s.state === 'BOUND_RX'); i++)
        await new Promise((r) => setTimeout(r, 10));
      smsc.injectMo({ from: '4479555', to: '4477000001', text: 'over outbind' });
      for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(received[0]).toMatchObject({ command: 'deliver_sm', destination_addr: '4477000001' });
      expect((received[0] as { short_message: Buffer }).short_message.toString()).toBe('over outbind');
    } finally {
      esme?.close();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('TLS listener', () => {
  let dir: string;
  let tlsSim: SmscHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smsc-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    tlsSim = await startSmsc({
      port: 0,
      store: 'memory',
      logLevel: 'silent',
      tls: { port: 0, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') },
    });
  });
  afterAll(async () => {
    await tlsSim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds and submits over TLS', async () => {
    expect(tlsSim.tlsPort).toBeGreaterThan(0);
    const p = await connectPeer(tlsSim.tlsPort!, { tls: true });
    peers.push(p);
    expect((await p.call('bind_transceiver', { system_id: 'tls', password: 'pw' })).command_status).toBe(0);
    expect((await sub(p)).command_status).toBe(0);
    expect(tlsSim.sessions()[0]).toMatchObject({ tls: true, systemId: 'tls' });
  });
});
