// Windowing, timeouts, sequence wrap-around, keep-alive and graceful unbind over loopback sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, type Pdu, SessionError } from '../src/index.js';
import { boundPair, type SessionPair, sessionWithRawPeer, submit, until } from './session-helpers.js';

let pair: SessionPair | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await pair?.close();
  await cleanup?.();
  pair = undefined;
  cleanup = undefined;
});

/** Answer submit_sm later (not in the handler), counting how many were open at once at this end. */
function slowResponder(p: SessionPair, delayMs: number) {
  const stats = { open: 0, maxOpen: 0, total: 0 };
  p.mc.on('request', (pdu) => {
    if (pdu.command !== 'submit_sm') return;
    stats.open++;
    stats.total++;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    setTimeout(() => {
      stats.open--;
      p.mc.respond(pdu, { message_id: String(pdu.sequence_number) });
    }, delayMs);
  });
  return stats;
}

describe('window', () => {
  it('never has more than windowSize requests outstanding at the peer, and all complete', async () => {
    pair = await boundPair({ windowSize: 4 });
    const stats = slowResponder(pair, 2);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => pair!.esme.request(submit(String(i)))));
    expect(results.every((r) => r.command === 'submit_sm_resp' && r.command_status === 0)).toBe(true);
    expect(stats.total).toBe(60);
    expect(stats.maxOpen).toBe(4); // the window was used to the full, never beyond
    expect(pair.esme.outstanding).toBe(0);
  });

  it('a caller waiting for a slot longer than windowWaitTimeoutMs gets WINDOW_TIMEOUT, not sent', async () => {
    const clock = new ManualClock();
    pair = await boundPair({
      windowSize: 1,
      windowWaitTimeoutMs: 1000,
      responseTimeoutMs: 60_000,
      clock,
      tickIntervalMs: 100,
    });
    let received = 0;
    pair.mc.on('request', () => received++); // never answers
    const first = pair.esme.request(submit('1')).catch((e: unknown) => e);
    const second = pair.esme.request(submit('2')).catch((e: unknown) => e);
    await until(() => received === 1);
    clock.advance(1000);
    const err = await second;
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toMatchObject({ code: 'WINDOW_TIMEOUT', maybeDelivered: false });
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toBe(1);
    pair.esme.close();
    expect(await first).toMatchObject({ code: 'CLOSED', maybeDelivered: true });
  });
});

describe('response timeout', () => {
  it('rejects an unanswered request with RESPONSE_TIMEOUT; a late response is reported as unexpected', async () => {
    const clock = new ManualClock();
    pair = await boundPair({ responseTimeoutMs: 5000, clock, tickIntervalMs: 100 });
    const held: Pdu[] = [];
    pair.mc.on('request', (pdu) => held.push(pdu));
    const unexpected: Pdu[] = [];
    pair.esme.on('unexpectedResponse', (pdu) => unexpected.push(pdu));
    const p = pair.esme.request(submit()).catch((e: unknown) => e);
    await until(() => held.length === 1);
    clock.advance(4900);
    expect(pair.esme.outstanding).toBe(1);
    clock.advance(100);
    const err = await p;
    expect(err).toMatchObject({ code: 'RESPONSE_TIMEOUT', maybeDelivered: true });
    expect((err as Error).message).toMatch(/may or may not have been delivered/);
    expect(pair.esme.outstanding).toBe(0);
    const req = held[0];
    if (req.command !== 'submit_sm') throw new Error('expected submit_sm');
    pair.mc.respond(req, { message_id: 'late' });
    await until(() => unexpected.length === 1);
    expect(unexpected[0]).toMatchObject({
      command: 'submit_sm_resp',
      message_id: 'late',
      sequence_number: req.sequence_number,
    });
    expect(pair.esme.state).toBe('BOUND_TRX');
  });

  it('works on the real clock with a short timeout', async () => {
    pair = await boundPair({ responseTimeoutMs: 100 });
    pair.mc.on('request', () => {});
    await expect(pair.esme.request(submit())).rejects.toMatchObject({ code: 'RESPONSE_TIMEOUT' });
  });

  it('a response that matches no request (unknown sequence) is reported, not crashed on', async () => {
    const s = await sessionWithRawPeer({ role: 'esme' });
    cleanup = s.close;
    const unexpected: Pdu[] = [];
    s.session.on('unexpectedResponse', (pdu) => unexpected.push(pdu));
    s.peer.send({ command: 'submit_sm_resp', command_status: 0, sequence_number: 999, message_id: 'x' });
    s.peer.send({ command: 'generic_nack', command_status: 3, sequence_number: 0 });
    await until(() => unexpected.length === 2);
    expect(unexpected.map((p) => p.command)).toEqual(['submit_sm_resp', 'generic_nack']);
    expect(s.session.state).toBe('OPEN');
  });

  it('a generic_nack answering a request resolves it', async () => {
    const s = await sessionWithRawPeer({ role: 'esme' });
    cleanup = s.close;
    const p = s.session.bind({ type: 'transceiver', system_id: 'a', password: 'b' });
    const bind = await s.peer.nth(1);
    s.peer.send({ command: 'generic_nack', command_status: 0x08, sequence_number: bind.sequence_number });
    expect(await p).toMatchObject({ command: 'generic_nack', command_status: 0x08 });
    expect(s.session.state).toBe('OPEN');
  });

  it('an undecodable response rejects its request with INVALID_RESPONSE and is not answered', async () => {
    const s = await sessionWithRawPeer({ role: 'esme' });
    cleanup = s.close;
    const p = s.session.bind({ type: 'transceiver', system_id: 'a', password: 'b' }).catch((e: unknown) => e);
    const bind = await s.peer.nth(1);
    // bind_transceiver_resp with a TLV whose length runs past the end of the PDU
    const bad = Buffer.alloc(23);
    bad.writeUInt32BE(23, 0);
    bad.writeUInt32BE(0x80000009, 4);
    bad.writeUInt32BE(bind.sequence_number, 12);
    bad.write('S\0', 16);
    bad.writeUInt16BE(0x0210, 18);
    bad.writeUInt16BE(5, 20);
    s.peer.write(bad);
    expect(await p).toMatchObject({ code: 'INVALID_RESPONSE', maybeDelivered: true });
    s.peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 5 });
    // the next thing the peer gets is the enquire_link_resp: the bad response was not answered
    expect(await s.peer.nth(2)).toMatchObject({ command: 'enquire_link_resp', sequence_number: 5 });
    expect(s.session.state).toBe('OPEN');
  });
});

describe('sequence numbers', () => {
  it('wrap from 0x7FFFFFFF to 1 and stay correlated', async () => {
    const s = await sessionWithRawPeer({ role: 'esme', sequenceStart: 0x7ffffffe, windowSize: 10 });
    cleanup = s.close;
    const bind = s.session.bind({ type: 'transmitter', system_id: 'a', password: 'b' });
    const b = await s.peer.nth(1);
    expect(b.sequence_number).toBe(0x7ffffffe);
    s.peer.send({
      command: 'bind_transmitter_resp',
      command_status: 0,
      sequence_number: b.sequence_number,
      system_id: 'S',
    });
    await bind;
    const reqs = [1, 2, 3].map((i) => s.session.request(submit(String(i))));
    const seen = await Promise.all([2, 3, 4].map((n) => s.peer.nth(n)));
    expect(seen.map((p) => p.sequence_number)).toEqual([0x7fffffff, 1, 2]);
    // answer in reverse order, each with its own message_id
    for (const p of [...seen].reverse()) {
      s.peer.send({
        command: 'submit_sm_resp',
        command_status: 0,
        sequence_number: p.sequence_number,
        message_id: `m${p.sequence_number}`,
      });
    }
    const resps = await Promise.all(reqs);
    expect(resps.map((r) => (r.command === 'submit_sm_resp' ? r.message_id : ''))).toEqual(['m2147483647', 'm1', 'm2']);
  });
});

describe('keep-alive and timers', () => {
  it('sends enquire_link when nothing was received for the interval, and the peer session answers it', async () => {
    const clock = new ManualClock();
    pair = await boundPair({ enquireLinkIntervalMs: 1000, clock, tickIntervalMs: 100 });
    const out: string[] = [];
    const inMc: string[] = [];
    pair.esme.on('unexpectedResponse', (p) => out.push(p.command));
    pair.mc.on('request', (p) => inMc.push(p.command));
    const sent: string[] = [];
    const esmeSocket = pair.sockets.client;
    const origWrite = esmeSocket.write.bind(esmeSocket);
    esmeSocket.write = ((chunk: Buffer, ...rest: never[]) => {
      sent.push(chunk.readUInt32BE(4).toString(16));
      return origWrite(chunk, ...rest);
    }) as typeof esmeSocket.write;
    clock.advance(900);
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual([]);
    clock.advance(100);
    await until(() => sent.length === 1);
    expect(sent).toEqual(['15']); // enquire_link
    await until(() => pair!.esme.outstanding === 0);
    expect(inMc).toEqual([]); // answered by the MC session, never shown to its application
    expect(out).toEqual([]);
    expect(pair.esme.state).toBe('BOUND_TRX');
  });

  it('closes with inactivity when its enquire_link goes unanswered', async () => {
    const clock = new ManualClock();
    const s = await sessionWithRawPeer({
      role: 'esme',
      enquireLinkIntervalMs: 1000,
      responseTimeoutMs: 2000,
      clock,
      tickIntervalMs: 100,
    });
    cleanup = s.close;
    const bind = s.session.bind({ type: 'transceiver', system_id: 'a', password: 'b' });
    const b = await s.peer.nth(1);
    s.peer.send({
      command: 'bind_transceiver_resp',
      command_status: 0,
      sequence_number: b.sequence_number,
      system_id: 'S',
    });
    await bind;
    const closed = new Promise((r) => s.session.once('close', r));
    clock.advance(1000);
    expect(await s.peer.nth(2)).toMatchObject({ command: 'enquire_link' });
    clock.advance(2000);
    expect(await closed).toBe('inactivity');
  });

  it('inactivity timeout closes a silent session', async () => {
    const clock = new ManualClock();
    const s = await sessionWithRawPeer({
      role: 'mc',
      inactivityTimeoutMs: 3000,
      sessionInitTimeoutMs: 0,
      clock,
      tickIntervalMs: 100,
    });
    cleanup = s.close;
    const closed = new Promise((r) => s.session.once('close', r));
    clock.advance(2000);
    s.peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 1 });
    await s.peer.nth(1); // traffic resets the idle time
    clock.advance(2000);
    expect(s.session.state).toBe('OPEN');
    clock.advance(1000);
    expect(await closed).toBe('inactivity');
    await s.peer.ended;
  });

  it('session-init timeout closes an MC session not bound in time; a bound one stays', async () => {
    const clock = new ManualClock();
    const s = await sessionWithRawPeer({ role: 'mc', sessionInitTimeoutMs: 5000, clock, tickIntervalMs: 100 });
    cleanup = s.close;
    const closed = new Promise((r) => s.session.once('close', r));
    s.peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 1 });
    await s.peer.nth(1); // enquire_link does not count as binding
    clock.advance(5000);
    expect(await closed).toBe('session-init-timeout');
    await s.peer.ended;

    pair = await boundPair({ clock }, { sessionInitTimeoutMs: 5000, clock, tickIntervalMs: 100 });
    clock.advance(20_000);
    expect(pair.mc.state).toBe('BOUND_TRX');
    expect(clock.activeTimers).toBeGreaterThan(0);
  });

  it('a closed session leaves no timer behind', async () => {
    const clock = new ManualClock();
    pair = await boundPair({ clock }, { clock });
    expect(clock.activeTimers).toBe(2);
    pair.esme.close();
    await until(() => pair!.mc.state === 'CLOSED');
    expect(clock.activeTimers).toBe(0);
  });
});

describe('graceful unbind', () => {
  it('stops new requests, drains those in flight, then unbind/unbind_resp and close', async () => {
    pair = await boundPair({ windowSize: 5 });
    const order: string[] = [];
    const held: Pdu[] = [];
    pair.mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') held.push(pdu);
    });
    pair.mc.on('state', (s) => order.push(`mc:${s}`));
    const inflight = Array.from({ length: 8 }, (_, i) =>
      pair!.esme.request(submit(String(i))).then(
        (r) => (order.push(`resp:${i}`), r),
        (e: unknown) => (order.push(`err:${i}`), e),
      ),
    );
    await until(() => held.length === 5);
    const unbound = pair.esme.unbind();
    // new requests are refused; the 3 queued behind the full window were never sent
    await expect(pair.esme.request(submit('late'))).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
      maybeDelivered: false,
    });
    const results = await Promise.all(inflight.slice(5));
    for (const r of results) expect(r).toMatchObject({ code: 'NOT_ALLOWED', maybeDelivered: false });
    // the 5 in flight are still answered
    await new Promise((r) => setTimeout(r, 20));
    expect(pair.mc.state).toBe('BOUND_TRX'); // no unbind sent yet
    for (const p of held) if (p.command === 'submit_sm') pair.mc.respond(p, { message_id: 'ok' });
    await unbound;
    const done = await Promise.all(inflight.slice(0, 5));
    for (const r of done) expect(r).toMatchObject({ command: 'submit_sm_resp', message_id: 'ok' });
    await until(() => pair!.mc.state === 'CLOSED');
    // every response came before the unbind reached the MC
    const unboundAt = order.indexOf('mc:UNBOUND');
    expect(unboundAt).toBeGreaterThan(-1);
    for (let i = 0; i < 5; i++) expect(order.indexOf(`resp:${i}`)).toBeLessThan(unboundAt);
    expect(pair.esme.state).toBe('CLOSED');
  });

  it('also waits for the application to answer the peer’s requests before unbinding', async () => {
    pair = await boundPair();
    const held: Pdu[] = [];
    pair.esme.on('request', (pdu) => held.push(pdu));
    const delivered = pair.mc.request({ command: 'deliver_sm', source_addr: '1', destination_addr: '2' });
    await until(() => held.length === 1);
    const unbound = pair.esme.unbind();
    await new Promise((r) => setTimeout(r, 20));
    expect(pair.mc.state).toBe('BOUND_TRX');
    const d = held[0];
    if (d.command !== 'deliver_sm') throw new Error('expected deliver_sm');
    expect(pair.esme.respond(d)).toBe(true);
    await unbound;
    expect(await delivered).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
  });

  it('gives up draining after the response timeout and still unbinds', async () => {
    const clock = new ManualClock();
    pair = await boundPair({ responseTimeoutMs: 5000, clock, tickIntervalMs: 100 });
    pair.mc.on('request', () => {}); // never answers submit_sm
    const p = pair.esme.request(submit()).catch((e: unknown) => e);
    await until(() => pair!.mc.unanswered === 1);
    const closedReason = new Promise((r) => pair!.esme.once('close', r));
    const unbound = pair.esme.unbind();
    clock.advance(5000);
    expect(await p).toMatchObject({ code: 'RESPONSE_TIMEOUT' });
    await unbound;
    expect(await closedReason).toBe('unbind');
  });
});
