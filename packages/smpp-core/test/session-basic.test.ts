import { afterEach, describe, expect, it } from 'vitest';
import { type Pdu, SessionError, type SessionState } from '../src/index.js';
import { acceptBinds, boundPair, type SessionPair, sessionPair, submit, until } from './session-helpers.js';

let pair: SessionPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('Session over loopback: bind, request/respond, unbind', () => {
  it('binds a transceiver and both sides follow the state', async () => {
    pair = await sessionPair();
    const { esme, mc } = pair;
    const esmeStates: SessionState[] = [];
    const mcStates: SessionState[] = [];
    esme.on('state', (s) => esmeStates.push(s));
    mc.on('state', (s) => mcStates.push(s));
    let bindSeen: Pdu | undefined;
    mc.on('request', (pdu) => {
      bindSeen = pdu;
      if (pdu.command === 'bind_transceiver')
        mc.respond(pdu, { system_id: 'SMSC', tlvs: { sc_interface_version: 0x50 } });
    });
    expect(esme.state).toBe('OPEN');
    expect(esme.peerInterfaceVersion).toBeUndefined();
    const resp = await esme.bind({ type: 'transceiver', system_id: 'alice', password: 'secret', system_type: 'T1' });
    expect(esme.peerInterfaceVersion).toBe(0x50);
    expect(mc.peerInterfaceVersion).toBe(0x34);
    expect(resp).toMatchObject({ command: 'bind_transceiver_resp', command_status: 0, system_id: 'SMSC' });
    expect(bindSeen).toMatchObject({
      command: 'bind_transceiver',
      system_id: 'alice',
      password: 'secret',
      system_type: 'T1',
      interface_version: 0x34,
    });
    expect(esme.state).toBe('BOUND_TRX');
    expect(mc.state).toBe('BOUND_TRX');
    expect(esmeStates).toEqual(['BOUND_TRX']);
    expect(mcStates).toEqual(['BOUND_TRX']);
  });

  it('a refused bind resolves with the error status and leaves the session OPEN', async () => {
    pair = await sessionPair();
    const { esme, mc } = pair;
    mc.on('request', (pdu) => mc.respond(pdu, { command_status: 0x0e }));
    const resp = await esme.bind({ type: 'transmitter', system_id: 'alice', password: 'wrong' });
    expect(resp).toMatchObject({ command: 'bind_transmitter_resp', command_status: 0x0e });
    expect(esme.state).toBe('OPEN');
    expect(mc.state).toBe('OPEN');
  });

  it('correlates requests and responses both ways, answered out of order', async () => {
    pair = await boundPair();
    const { esme, mc } = pair;
    const held: Pdu[] = [];
    mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') held.push(pdu);
      if (held.length === 3) {
        for (const p of held.reverse()) {
          if (p.command === 'submit_sm') mc.respond(p, { message_id: `id-${p.short_message.toString()}` });
        }
      }
    });
    esme.on('request', (pdu) => {
      if (pdu.command === 'deliver_sm') esme.respond(pdu);
    });
    const results = await Promise.all(['a', 'b', 'c'].map((t) => esme.request(submit(t))));
    expect(results.map((r) => (r.command === 'submit_sm_resp' ? r.message_id : r.command))).toEqual([
      'id-a',
      'id-b',
      'id-c',
    ]);
    const dr = await mc.request({
      command: 'deliver_sm',
      source_addr: '123',
      destination_addr: '1000',
      short_message: Buffer.from('hi'),
    });
    expect(dr).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(esme.outstanding).toBe(0);
    expect(mc.outstanding).toBe(0);
  });

  it('answers enquire_link itself: the application never sees it', async () => {
    pair = await boundPair();
    const { esme, mc } = pair;
    const seen: string[] = [];
    mc.on('request', (pdu) => seen.push(pdu.command));
    const resp = await esme.request({ command: 'enquire_link' });
    expect(resp).toMatchObject({ command: 'enquire_link_resp', command_status: 0 });
    expect(seen).not.toContain('enquire_link');
  });

  it('unbind: both sides end UNBOUND then CLOSED with reason unbind', async () => {
    pair = await boundPair();
    const { esme, mc } = pair;
    const mcStates: SessionState[] = [];
    mc.on('state', (s) => mcStates.push(s));
    const mcClosed = new Promise((resolve) => mc.once('close', resolve));
    const esmeClosed = new Promise((resolve) => esme.once('close', resolve));
    await esme.unbind();
    expect(await esmeClosed).toBe('unbind');
    expect(await mcClosed).toBe('unbind');
    expect(mcStates).toEqual(['UNBOUND', 'CLOSED']);
    expect(esme.state).toBe('CLOSED');
    await expect(esme.request(submit())).rejects.toMatchObject({ code: 'CLOSED', maybeDelivered: false });
  });

  it('close() rejects every outstanding request with CLOSED, maybe delivered', async () => {
    pair = await boundPair();
    const { esme, mc } = pair;
    let got = 0;
    mc.on('request', () => got++); // never answers
    const pending = [esme.request(submit('1')), esme.request(submit('2'))];
    await until(() => got === 2);
    const reason = new Promise((resolve) => mc.once('close', resolve));
    esme.close();
    for (const p of pending) {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionError);
      expect(err).toMatchObject({ code: 'CLOSED', maybeDelivered: true });
      expect((err as Error).message).toMatch(/may or may not have been delivered/);
    }
    expect(await reason).toBe('peer-closed');
  });

  it('respond() after close or twice returns false instead of throwing', async () => {
    pair = await boundPair();
    const { esme, mc } = pair;
    const reqs: Pdu[] = [];
    mc.on('request', (pdu) => reqs.push(pdu));
    const p = esme.request(submit()).catch((e: unknown) => e);
    await until(() => reqs.length === 1);
    const req = reqs[0];
    if (req.command !== 'submit_sm') throw new Error('expected submit_sm');
    expect(mc.unanswered).toBe(1);
    expect(mc.respond(req, { message_id: 'x' })).toBe(true);
    expect(mc.respond(req, { message_id: 'x' })).toBe(false);
    expect(await p).toMatchObject({ command: 'submit_sm_resp', message_id: 'x' });
    mc.close();
    expect(mc.respond(req)).toBe(false);
  });

  it('outbind: the MC sends outbind, the ESME goes OUTBOUND and binds as receiver', async () => {
    pair = await sessionPair();
    const { esme, mc } = pair;
    acceptBinds(mc);
    const outbound = new Promise<Pdu>((resolve) => esme.on('request', resolve));
    mc.send({ command: 'outbind', system_id: 'SMSC', password: 'pw' });
    expect(mc.state).toBe('OUTBOUND');
    const ob = await outbound;
    expect(ob).toMatchObject({ command: 'outbind', system_id: 'SMSC', password: 'pw' });
    expect(esme.state).toBe('OUTBOUND');
    const resp = await esme.bind({ type: 'receiver', system_id: 'alice', password: 'pw' });
    expect(resp.command_status).toBe(0);
    expect(esme.state).toBe('BOUND_RX');
    await until(() => mc.state === 'BOUND_RX');
  });
});

describe('Session edge cases', () => {
  it('one bind at a time: a second bind() while the first is in flight is refused locally', async () => {
    pair = await sessionPair();
    const { esme, mc } = pair;
    const binds: Pdu[] = [];
    mc.on('request', (pdu) => binds.push(pdu));
    const first = esme.bind({ type: 'transceiver', system_id: 'a', password: 'b' });
    await expect(esme.bind({ type: 'transmitter', system_id: 'a', password: 'b' })).rejects.toThrow(
      /bind is already in progress/,
    );
    await until(() => binds.length === 1);
    const b = binds[0];
    if (b.command !== 'bind_transceiver') throw new Error('expected bind_transceiver');
    mc.respond(b, { command_status: 0x0d });
    expect((await first).command_status).toBe(0x0d);
    // after a refused bind the ESME may try again
    mc.removeAllListeners('request');
    acceptBinds(mc);
    expect((await esme.bind({ type: 'transmitter', system_id: 'a', password: 'c' })).command_status).toBe(0);
    expect(esme.state).toBe('BOUND_TX');
  });

  it('respond() with a field beyond its limit throws the codec error and still answers the peer ESME_RSYSERR', async () => {
    pair = await boundPair();
    const { esme, mc } = pair;
    const errors: unknown[] = [];
    mc.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      try {
        mc.respond(pdu, { message_id: 'x'.repeat(100) });
      } catch (e) {
        errors.push(e);
      }
    });
    const resp = await esme.request(submit());
    expect(resp).toMatchObject({ command: 'submit_sm_resp', command_status: 0x08 });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/message_id/);
  });

  it('windowWaitTimeoutMs 0 fails at once when the window is full; responseTimeoutMs 0 is refused', async () => {
    pair = await boundPair({ windowSize: 1, windowWaitTimeoutMs: 0 });
    pair.mc.on('request', () => {});
    const first = pair.esme.request(submit()).catch((e: unknown) => e);
    await expect(pair.esme.request(submit())).rejects.toMatchObject({ code: 'WINDOW_TIMEOUT', maybeDelivered: false });
    pair.esme.close();
    expect(await first).toMatchObject({ code: 'CLOSED' });
    const { Session } = await import('../src/index.js');
    expect(() => new Session(pair!.sockets.client, { role: 'esme', responseTimeoutMs: 0 })).toThrow(
      /responseTimeoutMs/,
    );
    expect(() => new Session(pair!.sockets.client, { role: 'esme', windowSize: 0 })).toThrow(
      /windowSize must be an integer >= 1, got 0/,
    );
    expect(() => new Session(pair!.sockets.client, { role: 'esme', enquireLinkIntervalMs: -1 })).toThrow(
      /enquireLinkIntervalMs/,
    );
    expect(() => new Session(pair!.sockets.client, { role: 'client' as 'esme' })).toThrow(
      /role must be 'esme' or 'mc', got client/,
    );
  });

  it('a session given an already destroyed socket closes instead of lingering', async () => {
    pair = await sessionPair();
    const { Session } = await import('../src/index.js');
    pair.sockets.client.destroy();
    await until(() => pair!.sockets.client.destroyed);
    const late = new Session(pair.sockets.client, { role: 'esme' });
    const reason = await new Promise((r) => late.once('close', r));
    expect(reason).toBe('peer-closed');
  });
});
