// The received frame handed with each request, and raw writes through the session's one writer: over loopback,
// against a peer that reads and writes bytes by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { encodePdu, PduFramer, type PduOf, type RequestPdu } from '../src/index.js';
import { sessionWithRawPeer, until } from './session-helpers.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const bindTrx = encodePdu({
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

function submitBytes(seq: number, text: string): Buffer {
  return encodePdu({
    command: 'submit_sm',
    command_status: 0,
    sequence_number: seq,
    service_type: '',
    source_addr_ton: 5,
    source_addr_npi: 0,
    source_addr: 'ACME',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '4790000001',
    esm_class: 0,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 1,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: Buffer.from(text),
    tlvs: { user_message_reference: seq },
  });
}

/** An MC session bound by a raw peer; what the peer receives is kept as whole frames, undecoded. */
async function boundMc(onRequest: (pdu: RequestPdu, frame: Buffer) => void) {
  const s = await sessionWithRawPeer({ role: 'mc' });
  cleanup = s.close;
  const frames: Buffer[] = [];
  const framer = new PduFramer((f) => frames.push(f));
  s.peer.socket.removeAllListeners('data');
  s.peer.socket.on('data', (chunk: Buffer) => framer.push(chunk));
  s.session.on('request', (pdu, frame) => {
    if (pdu.command === 'bind_transceiver') s.session.respond(pdu, { system_id: 'SMSC' });
    else onRequest(pdu, frame);
  });
  s.peer.write(bindTrx);
  await until(() => s.session.state === 'BOUND_TRX', 5000, 'bound');
  await until(() => frames.length === 1, 5000, 'bind_transceiver_resp');
  frames.length = 0;
  return { ...s, frames };
}

describe("the frame handed with 'request'", () => {
  it("is the PDU exactly as received, its own memory, with the PDU's Buffers inside it", async () => {
    const got: Array<{ pdu: RequestPdu; frame: Buffer; copy: Buffer }> = [];
    const s = await boundMc((pdu, frame) => got.push({ pdu, frame, copy: Buffer.from(frame) }));
    const a = submitBytes(2, 'first');
    const b = submitBytes(3, 'second, split over two reads');
    const c = submitBytes(4, 'third');
    // a whole and half of b in one read; the rest of b and c in the next
    s.peer.write(Buffer.concat([a, b.subarray(0, 20)]));
    await until(() => got.length === 1, 5000, 'first submit_sm');
    s.peer.write(Buffer.concat([b.subarray(20), c]));
    await until(() => got.length === 3, 5000, 'three submit_sm');
    expect(got.map((g) => g.frame)).toEqual([a, b, c]);
    // nothing later overwrote an earlier frame
    for (const g of got) expect(g.frame).toEqual(g.copy);
    const sm = (got[1].pdu as PduOf<'submit_sm'>).short_message;
    expect(sm.toString()).toBe('second, split over two reads');
    expect(sm.buffer).toBe(got[1].frame.buffer);
    expect(sm.byteOffset).toBeGreaterThanOrEqual(got[1].frame.byteOffset);
    expect(sm.byteOffset + sm.length).toBeLessThanOrEqual(got[1].frame.byteOffset + got[1].frame.length);
  });
});

describe('sendRaw', () => {
  // a submit_sm_resp whose command_length (20) promises a body that is not a C-string: malformed on purpose
  const malformed = Buffer.from('00000014800000040000000000000003ffffffff', 'hex');

  it('goes out after the answers queued before it and before those queued after it', async () => {
    const s = await boundMc((pdu) => {
      s.session.respond(pdu, { message_id: `m${pdu.sequence_number}` });
      if (pdu.sequence_number === 3) s.session.sendRaw(malformed);
    });
    s.peer.write(Buffer.concat([submitBytes(2, 'a'), submitBytes(3, 'b'), submitBytes(4, 'c')]));
    await until(() => s.frames.length === 4, 5000, 'three answers and the raw bytes');
    const resp = (seq: number) =>
      encodePdu({ command: 'submit_sm_resp', command_status: 0, sequence_number: seq, message_id: `m${seq}` });
    expect(s.frames).toEqual([resp(2), resp(3), malformed, resp(4)]);
  });

  it('waits behind PDUs held back by a peer that does not read', async () => {
    const s = await boundMc(() => {});
    s.peer.socket.pause();
    const payload = Buffer.alloc(60_000, 0x41);
    const n = 200; // 12 MB: far beyond what the loopback socket buffers hold, so most of it waits in the writer
    for (let i = 0; i < n; i++) {
      s.session.send({
        command: 'data_sm',
        sequence_number: 100 + i,
        source_addr: 'SMSC',
        destination_addr: '1',
        tlvs: { message_payload: payload },
      });
    }
    s.session.sendRaw(malformed);
    s.session.send({ command: 'data_sm', sequence_number: 100 + n, source_addr: 'SMSC', destination_addr: '1' });
    s.peer.socket.resume();
    await until(() => s.frames.length === n + 2, 20_000, 'every data_sm and the raw bytes');
    expect(s.frames[n]).toEqual(malformed);
    const seqs = s.frames.map((f) => f.readUInt32BE(12));
    expect(seqs).toEqual([...Array.from({ length: n }, (_, i) => 100 + i), 3, 100 + n]);
  });

  it('is refused once the session is closed', async () => {
    const s = await boundMc(() => {});
    s.session.close();
    expect(() => s.session.sendRaw(malformed)).toThrow(/session is closed/);
  });
});
