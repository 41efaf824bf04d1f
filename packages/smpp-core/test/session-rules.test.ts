// State and direction rules on the wire: a raw peer sends what the state table forbids; the session answers
// with the right status and the application never sees the PDU.
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus, encodePdu, type Pdu, type SessionRole } from '../src/index.js';
import { acceptBinds, boundPair, type RawPeer, sessionWithRawPeer, submit, until } from './session-helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function rawSetup(role: SessionRole) {
  const s = await sessionWithRawPeer({ role });
  cleanup = s.close;
  const seen: Pdu[] = [];
  s.session.on('request', (pdu) => seen.push(pdu));
  return { ...s, seen };
}

const bindTrx = (seq: number): Pdu => ({
  command: 'bind_transceiver',
  command_status: 0,
  sequence_number: seq,
  system_id: 'a',
  password: 'b',
  system_type: '',
  interface_version: 0x34,
  addr_ton: 0,
  addr_npi: 0,
  address_range: '',
});

const submitPdu = (seq: number): Pdu => ({
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
  short_message: Buffer.from('x'),
});

async function expectAnswer(peer: RawPeer, n: number, expected: Partial<Pdu>) {
  const got = await peer.nth(n);
  expect(got).toMatchObject(expected);
}

describe('MC role: what an ESME may not send', () => {
  it('submit_sm before bind → submit_sm_resp ESME_RINVBNDSTS, not delivered to the application', async () => {
    const { peer, seen } = await rawSetup('mc');
    peer.send(submitPdu(7));
    await expectAnswer(peer, 1, {
      command: 'submit_sm_resp',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 7,
    });
    expect(seen).toEqual([]);
  });

  it('submit_sm on a receiver bind → ESME_RINVBNDSTS; on a transmitter bind → delivered', async () => {
    const { session, peer, seen } = await rawSetup('mc');
    acceptBinds(session);
    peer.send({ ...bindTrx(1), command: 'bind_receiver' } as Pdu);
    await expectAnswer(peer, 1, { command: 'bind_receiver_resp', command_status: 0, system_id: 'SMSC' });
    expect(session.state).toBe('BOUND_RX');
    peer.send(submitPdu(2));
    await expectAnswer(peer, 2, {
      command: 'submit_sm_resp',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 2,
    });
    expect(seen.map((p) => p.command)).toEqual(['bind_receiver']);
  });

  it('a second bind on a bound session → ESME_RALYBND', async () => {
    const { session, peer, seen } = await rawSetup('mc');
    acceptBinds(session);
    peer.send(bindTrx(1));
    await expectAnswer(peer, 1, { command: 'bind_transceiver_resp', command_status: 0 });
    peer.send(bindTrx(2));
    await expectAnswer(peer, 2, {
      command: 'bind_transceiver_resp',
      command_status: CommandStatus.ESME_RALYBND,
      sequence_number: 2,
    });
    expect(seen).toHaveLength(1);
  });

  it('wrong direction (deliver_sm, outbind, alert_notification from an ESME) → generic_nack ESME_RINVCMDID', async () => {
    const { session, peer, seen } = await rawSetup('mc');
    acceptBinds(session);
    peer.send(bindTrx(1));
    await peer.nth(1);
    peer.send({ ...submitPdu(3), command: 'deliver_sm' } as Pdu);
    peer.send({ command: 'outbind', command_status: 0, sequence_number: 4, system_id: 'x', password: '' });
    peer.send({
      command: 'alert_notification',
      command_status: 0,
      sequence_number: 5,
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '1',
      esme_addr_ton: 0,
      esme_addr_npi: 0,
      esme_addr: '2',
    });
    await expectAnswer(peer, 2, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
      sequence_number: 3,
    });
    await expectAnswer(peer, 3, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
      sequence_number: 4,
    });
    await expectAnswer(peer, 4, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
      sequence_number: 5,
    });
    expect(seen).toHaveLength(1);
    expect(session.state).toBe('BOUND_TRX');
  });

  it('unbind before bind → unbind_resp ESME_RINVBNDSTS and the session stays open', async () => {
    const { session, peer } = await rawSetup('mc');
    peer.send({ command: 'unbind', command_status: 0, sequence_number: 9 });
    await expectAnswer(peer, 1, {
      command: 'unbind_resp',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 9,
    });
    expect(session.state).toBe('OPEN');
  });

  it('enquire_link is answered in OPEN (v5.0 allows it in every connected state)', async () => {
    const { peer, seen } = await rawSetup('mc');
    peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 11 });
    await expectAnswer(peer, 1, { command: 'enquire_link_resp', command_status: 0, sequence_number: 11 });
    expect(seen).toEqual([]);
  });

  it('an unknown command_id → generic_nack ESME_RINVCMDID with its sequence number, and the session goes on', async () => {
    const { peer } = await rawSetup('mc');
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32BE(16, 0);
    bytes.writeUInt32BE(0x00000077, 4);
    bytes.writeUInt32BE(42, 12);
    peer.write(bytes);
    await expectAnswer(peer, 1, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
      sequence_number: 42,
    });
    peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 43 });
    await expectAnswer(peer, 2, { command: 'enquire_link_resp', sequence_number: 43 });
  });

  it('peer unbind is answered and closes the session with reason unbind', async () => {
    const { session, peer, seen } = await rawSetup('mc');
    acceptBinds(session);
    const closed = new Promise((r) => session.once('close', r));
    peer.send(bindTrx(1));
    await peer.nth(1);
    peer.send({ command: 'unbind', command_status: 0, sequence_number: 2 });
    await expectAnswer(peer, 2, { command: 'unbind_resp', command_status: 0, sequence_number: 2 });
    expect(await closed).toBe('unbind');
    await peer.ended;
    expect(seen.map((p) => p.command)).toEqual(['bind_transceiver']);
  });
});

describe('ESME role: what an MC may not send', () => {
  it('submit_sm to an ESME → generic_nack ESME_RINVCMDID; deliver_sm before bind → ESME_RINVBNDSTS', async () => {
    const { peer, seen } = await rawSetup('esme');
    peer.send(submitPdu(1));
    await expectAnswer(peer, 1, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
      sequence_number: 1,
    });
    peer.send({ ...submitPdu(2), command: 'deliver_sm' } as Pdu);
    await expectAnswer(peer, 2, {
      command: 'deliver_sm_resp',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 2,
    });
    peer.send(bindTrx(3));
    await expectAnswer(peer, 3, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
      sequence_number: 3,
    });
    expect(seen).toEqual([]);
  });

  it('deliver_sm on a transmitter bind → ESME_RINVBNDSTS; alert_notification on it → generic_nack ESME_RINVBNDSTS', async () => {
    const { session, peer, seen } = await rawSetup('esme');
    const bound = session.bind({ type: 'transmitter', system_id: 'a', password: 'b' });
    const bind = await peer.nth(1);
    peer.send({
      command: 'bind_transmitter_resp',
      command_status: 0,
      sequence_number: bind.sequence_number,
      system_id: 'S',
    });
    expect((await bound).command_status).toBe(0);
    expect(session.state).toBe('BOUND_TX');
    peer.send({ ...submitPdu(5), command: 'deliver_sm' } as Pdu);
    await expectAnswer(peer, 2, {
      command: 'deliver_sm_resp',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 5,
    });
    peer.send({
      command: 'alert_notification',
      command_status: 0,
      sequence_number: 6,
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '1',
      esme_addr_ton: 0,
      esme_addr_npi: 0,
      esme_addr: '2',
    });
    await expectAnswer(peer, 3, {
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 6,
    });
    expect(seen).toEqual([]);
  });
});

describe('local sends the state table forbids', () => {
  it('request() rejects NOT_ALLOWED (not delivered) and nothing goes on the wire', async () => {
    const { session, peer } = await rawSetup('esme');
    await expect(session.request(submit())).rejects.toMatchObject({ code: 'NOT_ALLOWED', maybeDelivered: false });
    await expect(session.request(submit())).rejects.toThrow(/esme may not send submit_sm in state OPEN/);
    expect(() => session.send({ command: 'deliver_sm' })).toThrow(/may not send deliver_sm/);
    peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 1 });
    // the first thing the peer receives is the enquire_link_resp: no submit_sm was written
    await expectAnswer(peer, 1, { command: 'enquire_link_resp' });
    expect(peer.received).toHaveLength(1);
  });

  it('an MC may not deliver to a transmitter-bound ESME, nor bind', async () => {
    const pair = await boundPair();
    cleanup = pair.close;
    await expect(pair.mc.bind({ type: 'transceiver', system_id: 'x', password: 'y' })).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
    });
    await expect(pair.mc.request(submit())).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(pair.mc.request({ command: 'outbind', system_id: 'x' })).rejects.toMatchObject({
      code: 'NOT_ALLOWED',
    });
  });

  it('a field beyond its spec limit rejects with the codec error and takes no window slot', async () => {
    const pair = await boundPair({ windowSize: 1 });
    cleanup = pair.close;
    await expect(pair.esme.request({ ...submit(), source_addr: 'x'.repeat(30) })).rejects.toThrow(/source_addr/);
    expect(pair.esme.outstanding).toBe(0);
    pair.mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') pair.mc.respond(pdu);
    });
    await expect(pair.esme.request(submit())).resolves.toMatchObject({ command: 'submit_sm_resp' });
  });
});

describe('decode errors', () => {
  it('a malformed submit_sm → submit_sm_resp with the error status; the session goes on', async () => {
    const { session, peer, seen } = await rawSetup('mc');
    acceptBinds(session);
    peer.send(bindTrx(1));
    await peer.nth(1);
    const good = encodePdu(submitPdu(2));
    // cut the PDU inside its mandatory fields and fix command_length: a known command with a truncated body
    const bad = Buffer.from(good.subarray(0, 24));
    bad.writeUInt32BE(bad.length, 0);
    peer.write(bad);
    const answer = await peer.nth(2);
    expect(answer).toMatchObject({ command: 'submit_sm_resp', sequence_number: 2 });
    expect(answer.command_status).not.toBe(0);
    peer.send(submitPdu(3));
    await until(() => seen.length === 2);
    expect(seen[1]).toMatchObject({ command: 'submit_sm', sequence_number: 3 });
  });

  it('garbage bytes: generic_nack ESME_RINVCMDLEN, close with framing-error, other sessions unaffected', async () => {
    const a = await sessionWithRawPeer({ role: 'mc' });
    const b = await sessionWithRawPeer({ role: 'mc' });
    cleanup = async () => {
      await a.close();
      await b.close();
    };
    const reason = new Promise((r) => a.session.once('close', r));
    a.peer.write(Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'));
    await expectAnswer(a.peer, 1, { command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDLEN });
    expect(await reason).toBe('framing-error');
    await a.peer.ended;
    b.peer.send({ command: 'enquire_link', command_status: 0, sequence_number: 1 });
    await expectAnswer(b.peer, 1, { command: 'enquire_link_resp', sequence_number: 1 });
  });

  it('a command_length below 16 is a framing error', async () => {
    const { session, peer } = await rawSetup('mc');
    const reason = new Promise((r) => session.once('close', r));
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32BE(8, 0);
    peer.write(bytes);
    await expectAnswer(peer, 1, { command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDLEN });
    expect(await reason).toBe('framing-error');
  });

  it('random garbage never throws out of the session, whatever the bytes', async () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let round = 0; round < 20; round++) {
      const { session, peer, close } = await sessionWithRawPeer({ role: round % 2 ? 'mc' : 'esme' });
      const errors: unknown[] = [];
      session.on('error', (e) => errors.push(e));
      const len = 1 + Math.floor(rnd() * 200);
      const bytes = Buffer.alloc(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(rnd() * 256);
      // a plausible header half the time, so decoding (not only framing) gets exercised
      if (round % 2 === 0 && len >= 16) {
        bytes.writeUInt32BE(len, 0);
        bytes.writeUInt32BE([4, 5, 9, 0x80000004, 0x15][round % 5], 4);
      }
      peer.write(bytes);
      await new Promise((r) => setTimeout(r, 20));
      expect(errors).toEqual([]);
      expect(['OPEN', 'CLOSED']).toContain(session.state);
      await close();
    }
  });
});

describe('robustness against the application', () => {
  it('an MC gets one bind at a time: a bind while the first is unanswered → ESME_RINVBNDSTS', async () => {
    const { session, peer, seen } = await rawSetup('mc');
    peer.send(bindTrx(1));
    await until(() => seen.length === 1);
    peer.send(bindTrx(2));
    await expectAnswer(peer, 1, {
      command: 'bind_transceiver_resp',
      command_status: CommandStatus.ESME_RINVBNDSTS,
      sequence_number: 2,
    });
    const b = seen[0];
    if (b.command !== 'bind_transceiver') throw new Error('expected bind');
    session.respond(b, { system_id: 'S' });
    await expectAnswer(peer, 2, { command: 'bind_transceiver_resp', command_status: 0, sequence_number: 1 });
    expect(seen).toHaveLength(1);
  });

  it('a listener that throws does not lose the PDUs after it in the same read', async () => {
    const { session, peer } = await rawSetup('esme');
    const errors: Error[] = [];
    session.on('error', (e) => errors.push(e));
    session.on('unexpectedResponse', () => {
      throw new Error('listener bug');
    });
    const stray = encodePdu({ command: 'enquire_link_resp', command_status: 0, sequence_number: 77 });
    const ping = encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 78 });
    peer.write(Buffer.concat([stray, ping])); // one write: one read at the session, most likely
    await expectAnswer(peer, 1, { command: 'enquire_link_resp', sequence_number: 78 });
    expect(errors.map((e) => e.message)).toEqual(['listener bug']);
    expect(session.state).toBe('OPEN');
  });
});

describe('limits and PDUs without a response', () => {
  it('a PDU longer than maxCommandLength is a framing error, answered before closing', async () => {
    const s = await sessionWithRawPeer({ role: 'mc', maxCommandLength: 1024 });
    cleanup = s.close;
    const reason = new Promise((r) => s.session.once('close', r));
    const big = Buffer.alloc(2048);
    big.writeUInt32BE(2048, 0);
    big.writeUInt32BE(0x00000004, 4);
    big.writeUInt32BE(9, 12);
    s.peer.write(big);
    expect(await s.peer.nth(1)).toMatchObject({
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDLEN,
    });
    expect(await reason).toBe('framing-error');
  });

  it('alert_notification reaches a receiver ESME and needs no answer; data_sm flows both ways on TRX', async () => {
    const pair = await boundPair();
    cleanup = pair.close;
    const { esme, mc } = pair;
    const atEsme: Pdu[] = [];
    esme.on('request', (pdu) => {
      atEsme.push(pdu);
      if (pdu.command === 'data_sm') esme.respond(pdu, { message_id: 'e' });
    });
    mc.on('request', (pdu) => {
      if (pdu.command === 'data_sm') mc.respond(pdu, { message_id: 'm' });
    });
    mc.send({ command: 'alert_notification', source_addr: '123', esme_addr: '456' });
    await until(() => atEsme.length === 1);
    expect(atEsme[0]).toMatchObject({ command: 'alert_notification', source_addr: '123', esme_addr: '456' });
    expect(esme.unanswered).toBe(0);
    const fromEsme = await esme.request({
      command: 'data_sm',
      destination_addr: '1',
      tlvs: { message_payload: Buffer.from('x') },
    });
    const fromMc = await mc.request({
      command: 'data_sm',
      destination_addr: '2',
      tlvs: { message_payload: Buffer.from('y') },
    });
    expect(fromEsme).toMatchObject({ command: 'data_sm_resp', message_id: 'm' });
    expect(fromMc).toMatchObject({ command: 'data_sm_resp', message_id: 'e' });
    expect(() => esme.send({ command: 'alert_notification' })).toThrow(/esme may not send alert_notification/);
  });
});
