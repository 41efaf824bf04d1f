// The socket side of a session: batching, backpressure, pause/resume, disconnects, trace hook and logging.
import type net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus, decodePdu, encodePdu, type Logger, type Pdu, Session } from '../src/index.js';
import { boundPair, type SessionPair, sessionWithRawPeer, submit, until } from './session-helpers.js';

let pair: SessionPair | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await pair?.close();
  await cleanup?.();
  pair = undefined;
  cleanup = undefined;
});

const nextTurn = () => new Promise((r) => setImmediate(r));

/** Records every socket.write call and its return value, and every 'drain'. */
function spyWrites(socket: net.Socket) {
  const events: string[] = [];
  let calls = 0;
  const orig = socket.write.bind(socket);
  socket.write = ((chunk: Buffer, ...rest: never[]) => {
    calls++;
    const ok = orig(chunk, ...rest);
    events.push(ok ? 'write' : 'full');
    return ok;
  }) as typeof socket.write;
  socket.on('drain', () => events.push('drain'));
  return {
    events,
    get calls() {
      return calls;
    },
  };
}

function answerAll(p: SessionPair) {
  p.mc.on('request', (pdu) => {
    if (pdu.command === 'submit_sm') p.mc.respond(pdu, { message_id: 'ok' });
  });
  p.esme.on('request', (pdu) => {
    if (pdu.command === 'deliver_sm') p.esme.respond(pdu);
  });
}

describe('write batching', () => {
  it('writes the PDUs of one tick in one socket write', async () => {
    pair = await boundPair({ windowSize: 500, maxPdusPerWrite: 1000 }, { maxPdusPerWrite: 1000 });
    answerAll(pair);
    const esmeWrites = spyWrites(pair.sockets.client);
    const mcWrites = spyWrites(pair.sockets.server);
    let mcReads = 0;
    pair.sockets.server.on('data', () => mcReads++);
    const all = Array.from({ length: 200 }, (_, i) => pair!.esme.request(submit(String(i))));
    expect(esmeWrites.calls).toBe(0); // nothing written synchronously
    await nextTurn();
    expect(esmeWrites.calls).toBe(1);
    const resps = await Promise.all(all);
    expect(resps).toHaveLength(200);
    expect(resps.every((r) => r.command === 'submit_sm_resp')).toBe(true);
    // the MC answered 200 requests with at most one write per read it got
    expect(mcWrites.calls).toBeGreaterThan(0);
    expect(mcWrites.calls).toBeLessThanOrEqual(mcReads);
    expect(mcWrites.calls).toBeLessThan(200);
  });

  it('writes every maxPdusPerWrite PDUs (default 32) when one tick produces more, so the peer can start early', async () => {
    pair = await boundPair({ windowSize: 500 });
    answerAll(pair);
    const esmeWrites = spyWrites(pair.sockets.client);
    const all = Array.from({ length: 200 }, (_, i) => pair!.esme.request(submit(String(i))));
    expect(esmeWrites.calls).toBe(6); // 6 × 32 at once
    await nextTurn();
    expect(esmeWrites.calls).toBe(7); // the last 8 at the end of the turn
    const resps = await Promise.all(all);
    expect(resps.map((r) => r.sequence_number)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2)); // 1 was the bind
  });

  it("writeTiming 'callback' writes when the callback ends; 'turn' (default) in a later setImmediate", async () => {
    for (const timing of ['callback', 'turn'] as const) {
      pair = await boundPair({ windowSize: 50, writeTiming: timing });
      answerAll(pair);
      const esmeWrites = spyWrites(pair.sockets.client);
      const sent: Promise<unknown>[] = [];
      const seen = await new Promise<number>((resolve) => {
        setImmediate(() => {
          // queued before the requests: runs before a flush the requests schedule with setImmediate
          setImmediate(() => resolve(esmeWrites.calls));
          for (let i = 0; i < 3; i++) sent.push(pair!.esme.request(submit(String(i))));
        });
      });
      expect(seen).toBe(timing === 'callback' ? 1 : 0);
      await Promise.all(sent);
      expect(esmeWrites.calls).toBe(1); // one write either way
      await pair.close();
      pair = undefined;
    }
    expect(() => new Session(new PassThrough(), { role: 'esme', writeTiming: 'later' as never })).toThrow(
      /writeTiming must be 'turn' or 'callback', got later/,
    );
  });

  it('flushWrites() writes what is queued now, not when the callback ends; nothing queued: no write', async () => {
    pair = await boundPair({ windowSize: 50, writeTiming: 'callback' });
    answerAll(pair);
    const esmeWrites = spyWrites(pair.sockets.client);
    const sent: Promise<unknown>[] = [];
    const calls = await new Promise<number[]>((resolve) => {
      setImmediate(() => {
        for (let i = 0; i < 3; i++) sent.push(pair!.esme.request(submit(String(i))));
        const queued = esmeWrites.calls;
        pair!.esme.flushWrites();
        const flushed = esmeWrites.calls;
        pair!.esme.flushWrites();
        resolve([queued, flushed, esmeWrites.calls]);
      });
    });
    expect(calls).toEqual([0, 1, 1]);
    await Promise.all(sent);
    expect(esmeWrites.calls).toBe(1); // the flush at the end of the callback found nothing left
  });
});

describe('backpressure', () => {
  it('stops writing while the socket buffer is full and resumes on drain; a paused peer reads nothing', async () => {
    pair = await boundPair({ windowSize: 1000, responseTimeoutMs: 60_000 });
    answerAll(pair);
    pair.mc.pause();
    let mcSaw = 0;
    pair.mc.on('request', () => mcSaw++);
    const spy = spyWrites(pair.sockets.client);
    const payload = Buffer.alloc(48 * 1024, 0x41);
    const all: Promise<unknown>[] = [];
    let turns = 0;
    // queue 20 × 48 KiB per turn of the loop until the socket stays full (≥ 19 MiB: more than loopback buffers
    // of a peer that never read hold; at most 48 MiB)
    for (let batch = 0; batch < 50; batch++) {
      for (let i = 0; i < 20; i++)
        all.push(
          pair.esme.request({ ...submit(), short_message: Buffer.alloc(0), tlvs: { message_payload: payload } }),
        );
      await nextTurn();
      turns++;
      if (batch >= 19 && spy.events[spy.events.length - 1] === 'full') {
        await new Promise((r) => setTimeout(r, 50));
        if (spy.events[spy.events.length - 1] === 'full') break;
      }
    }
    expect(mcSaw).toBe(0);
    expect(spy.events).toContain('full');
    // after every write that found the buffer full, the next event is 'drain' (or nothing yet): never a write
    spy.events.forEach((e, i) => {
      if (e === 'full' && i + 1 < spy.events.length) expect(spy.events[i + 1]).toBe('drain');
    });
    // the peer is not reading: we are blocked, so there were fewer writes than turns that queued PDUs
    expect(spy.events[spy.events.length - 1]).toBe('full');
    expect(spy.calls).toBeLessThan(turns);
    pair.mc.resume();
    const resps = await Promise.all(all);
    expect(resps).toHaveLength(all.length);
    expect(mcSaw).toBe(all.length);
    spy.events.forEach((e, i) => {
      if (e === 'full' && i + 1 < spy.events.length) expect(spy.events[i + 1]).toBe('drain');
    });
  });

  it('pause() holds back PDUs already read; resume() delivers them in order', async () => {
    pair = await boundPair();
    const seen: string[] = [];
    pair.mc.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      seen.push(pdu.short_message.toString());
      if (seen.length === 1) pair!.mc.pause(); // pause in the middle of a chunk holding several PDUs
    });
    const all = ['a', 'b', 'c', 'd'].map((t) => pair!.esme.request(submit(t)).catch((e: unknown) => e));
    await until(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual(['a']);
    expect(pair.mc.paused).toBe(true);
    pair.mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') pair!.mc.respond(pdu);
    });
    pair.mc.resume();
    await until(() => seen.length === 4);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    pair.esme.close();
    await Promise.all(all);
  });
});

describe('reads split anywhere, many sessions at once', () => {
  it('handles PDUs arriving one byte per TCP write', async () => {
    const s = await sessionWithRawPeer({ role: 'mc' });
    cleanup = s.close;
    const seen: string[] = [];
    s.session.on('request', (pdu) => {
      seen.push(pdu.command);
      if (pdu.command === 'bind_transceiver') s.session.respond(pdu);
      if (pdu.command === 'submit_sm') s.session.respond(pdu, { message_id: pdu.short_message.toString() });
    });
    s.peer.socket.setNoDelay(true);
    const bytes = Buffer.concat([
      encodePdu({
        command: 'bind_transceiver',
        command_status: 0,
        sequence_number: 1,
        system_id: 'a',
        password: 'b',
        system_type: '',
        interface_version: 0x34,
        addr_ton: 0,
        addr_npi: 0,
        address_range: '',
      }),
      ...[2, 3, 4].map((seq) =>
        encodePdu({
          command: 'submit_sm',
          command_status: 0,
          sequence_number: seq,
          service_type: '',
          source_addr_ton: 0,
          source_addr_npi: 0,
          source_addr: '1',
          dest_addr_ton: 0,
          dest_addr_npi: 0,
          destination_addr: '2',
          esm_class: 0,
          protocol_id: 0,
          priority_flag: 0,
          schedule_delivery_time: '',
          validity_period: '',
          registered_delivery: 0,
          replace_if_present_flag: 0,
          data_coding: 0,
          sm_default_msg_id: 0,
          short_message: Buffer.from(`m${seq}`),
        }),
      ),
    ]);
    for (let i = 0; i < bytes.length; i++) {
      s.peer.write(bytes.subarray(i, i + 1));
      if (i % 16 === 0) await nextTurn();
    }
    const last = await s.peer.nth(4);
    expect(last).toMatchObject({ command: 'submit_sm_resp', sequence_number: 4, message_id: 'm4' });
    expect(seen).toEqual(['bind_transceiver', 'submit_sm', 'submit_sm', 'submit_sm']);
  });

  it('40 session pairs in one process, each with its own traffic, no cross-talk', async () => {
    const pairs = await Promise.all(Array.from({ length: 40 }, () => boundPair({ windowSize: 5 })));
    cleanup = async () => {
      await Promise.all(pairs.map((p) => p.close()));
    };
    pairs.forEach((p, n) =>
      p.mc.on('request', (pdu) => {
        if (pdu.command === 'submit_sm') p.mc.respond(pdu, { message_id: `${n}:${pdu.short_message.toString()}` });
      }),
    );
    const results = await Promise.all(
      pairs.map((p) => Promise.all(Array.from({ length: 25 }, (_, i) => p.esme.request(submit(String(i)))))),
    );
    results.forEach((resps, n) => {
      expect(resps.map((r) => (r.command === 'submit_sm_resp' ? r.message_id : ''))).toEqual(
        Array.from({ length: 25 }, (_, i) => `${n}:${i}`),
      );
    });
  });
});

describe('a peer that sends without reading', () => {
  it('makes the session stop reading once its answers pile up, and lose none of them', async () => {
    const s = await sessionWithRawPeer({ role: 'mc', maxPendingWriteBytes: 64 * 1024 });
    cleanup = s.close;
    const peerSocket = s.peer.socket;
    peerSocket.pause(); // the peer never reads
    peerSocket.removeAllListeners('data');
    const one = encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 1 });
    const chunk = Buffer.alloc(one.length * 4096);
    for (let i = 0; i < 4096; i++) one.copy(chunk, i * one.length);
    let sent = 0;
    const serverSocket = s.socket;
    // send enquire_links until the session has stopped reading (its answers have nowhere to go); at most 64 MiB
    while (serverSocket.isPaused() === false && sent < 16384 * 256) {
      if (!peerSocket.write(chunk)) {
        // wait for room, unless the session stops reading meanwhile (then no room will come)
        let drained = false;
        peerSocket.once('drain', () => (drained = true));
        await until(() => drained || serverSocket.isPaused(), 10_000, 'drain or pause');
      }
      sent += 4096;
      await nextTurn();
    }
    await until(() => serverSocket.isPaused(), 10_000, 'the session to stop reading');
    expect(s.session.state).toBe('OPEN');
    // now the peer reads: every enquire_link gets its enquire_link_resp, in order, none dropped
    let bytes = 0;
    peerSocket.on('data', (d: Buffer) => (bytes += d.length));
    peerSocket.resume();
    await until(() => bytes === sent * one.length, 20_000, 'all answers');
    expect(serverSocket.isPaused()).toBe(false);
  });
});

describe('disconnects', () => {
  it('peer disconnect in the middle of a PDU: close peer-closed, outstanding requests rejected, nothing half-read delivered', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn: (_o, msg) => warnings.push(msg ?? ''),
      error() {},
    };
    const s = await sessionWithRawPeer({ role: 'mc', logger });
    cleanup = s.close;
    const seen: Pdu[] = [];
    s.session.on('request', (pdu) => {
      seen.push(pdu);
      if (pdu.command === 'bind_transceiver') s.session.respond(pdu);
    });
    s.peer.send({
      command: 'bind_transceiver',
      command_status: 0,
      sequence_number: 1,
      system_id: 'a',
      password: 'b',
      system_type: '',
      interface_version: 0x34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: '',
    });
    await s.peer.nth(1);
    const outstanding = s.session
      .request({ command: 'deliver_sm', source_addr: '1', destination_addr: '2' })
      .catch((e: unknown) => e);
    await s.peer.nth(2); // the deliver_sm reached the peer, which never answers
    const closed = new Promise((r) => s.session.once('close', r));
    const whole = encodePdu({
      command: 'submit_sm',
      command_status: 0,
      sequence_number: 2,
      service_type: '',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '1',
      dest_addr_ton: 0,
      dest_addr_npi: 0,
      destination_addr: '2',
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0,
      sm_default_msg_id: 0,
      short_message: Buffer.from('hello'),
    });
    s.peer.socket.write(whole.subarray(0, whole.length >> 1), () => s.peer.socket.destroy());
    expect(await closed).toBe('peer-closed');
    expect(await outstanding).toMatchObject({ code: 'CLOSED', maybeDelivered: true });
    expect(String((await outstanding) as Error)).toMatch(/may or may not have been delivered/);
    expect(seen.map((p) => p.command)).toEqual(['bind_transceiver']);
    expect(s.session.state).toBe('CLOSED');
    await until(() => warnings.includes('peer closed in the middle of a PDU'));
  });

  it('a listener that throws gets ESME_RSYSERR sent to the peer and an error event, not a crash', async () => {
    pair = await boundPair();
    const errors: Error[] = [];
    pair.mc.on('error', (e) => errors.push(e));
    pair.mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') throw new Error('handler bug');
    });
    const resp = await pair.esme.request(submit());
    expect(resp).toMatchObject({ command: 'submit_sm_resp', command_status: CommandStatus.ESME_RSYSERR });
    expect(errors.map((e) => e.message)).toEqual(['handler bug']);
    expect(pair.mc.state).toBe('BOUND_TRX');
  });
});

describe('observability', () => {
  it('the trace hook sees every PDU both ways with its exact bytes', async () => {
    const traced: Array<{ dir: string; pdu: Pdu | null; bytes: Buffer }> = [];
    pair = await boundPair({ trace: (dir, pdu, bytes) => traced.push({ dir, pdu, bytes: Buffer.from(bytes) }) });
    answerAll(pair);
    await pair.esme.request(submit('traced'));
    expect(traced.map((t) => `${t.dir}:${t.pdu?.command}`)).toEqual([
      'out:bind_transceiver',
      'in:bind_transceiver_resp',
      'out:submit_sm',
      'in:submit_sm_resp',
    ]);
    for (const t of traced) {
      expect(decodePdu(t.bytes)).toEqual(t.pdu);
      expect(encodePdu(t.pdu!)).toEqual(t.bytes);
    }
  });

  it('logs nothing per PDU above debug, and builds no debug record when debug is off', async () => {
    const count = { debug: 0, above: 0 };
    const mk = (debugOn: boolean): Logger => ({
      debug: () => count.debug++,
      info: () => count.above++,
      warn: () => count.above++,
      error: () => count.above++,
      isLevelEnabled: (level) => level !== 'debug' || debugOn,
    });
    pair = await boundPair({ logger: mk(true) }, { logger: mk(false) });
    answerAll(pair);
    const aboveAfterBind = count.above;
    const debugAfterBind = count.debug;
    await Promise.all(Array.from({ length: 100 }, (_, i) => pair!.esme.request(submit(String(i)))));
    expect(count.above).toBe(aboveAfterBind); // 200 PDUs, not one info/warn/error line
    expect(count.debug - debugAfterBind).toBe(200); // the ESME (debug on) logged each PDU in and out; the MC none
  });
});
