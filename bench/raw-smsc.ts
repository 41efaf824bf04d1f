// A minimal SMSC for measuring the client alone: no session, no store, no codec on its hot path. It splits the
// stream into PDUs, answers a bind, enquire_link and unbind, and each submit_sm with a submit_sm_resp (a new hex
// message id) and, when registered_delivery asks for one, a delivery receipt deliver_sm written from a template the
// simulator's size (the canonical text, receipted_message_id and message_state TLVs); deliver_sm_resp is read and
// dropped. Everything one read produces goes out in one write. It costs a fraction of the client's CPU, so the
// client's CPU per message does not move with a loaded server's batching: bench/probe.ts `raw`.
import net from 'node:net';
import { encodeWithHeader } from '@smppkit/core';

const SUBMIT_SM = 0x00000004;
const DELIVER_SM_RESP = 0x80000005;
const UNBIND = 0x00000006;
const ENQUIRE_LINK = 0x00000015;
const BIND_TRANSCEIVER = 0x00000009;
const BIND_TRANSMITTER = 0x00000002;
const BIND_RECEIVER = 0x00000001;

/** The offset of registered_delivery in a submit_sm body: after the service_type and two addresses (C-strings). */
function registeredDelivery(b: Buffer, off: number, end: number): number {
  let i = off + 16;
  const skipCString = () => {
    while (i < end && b[i] !== 0) i++;
    i++;
  };
  skipCString(); // service_type
  i += 2; // source_addr_ton, npi
  skipCString(); // source_addr
  i += 2; // dest_addr_ton, npi
  skipCString(); // destination_addr
  i += 3; // esm_class, protocol_id, priority_flag
  skipCString(); // schedule_delivery_time
  skipCString(); // validity_period
  return i < end ? b[i]! : 0;
}

function receiptFor(id: string, seq: number): Buffer {
  const date = '2612011200';
  return encodeWithHeader(
    'deliver_sm',
    {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4790000001',
      dest_addr_ton: 5,
      dest_addr_npi: 0,
      destination_addr: 'LOADTEST',
      esm_class: 0x04,
      short_message: Buffer.from(
        `id:${id} sub:001 dlvrd:001 submit date:${date} done date:${date} stat:DELIVRD err:000 Text:Your verificatio`,
        'latin1',
      ),
      tlvs: { receipted_message_id: id, message_state: 2 },
    },
    0,
    seq,
  );
}

export function startRawSmsc(): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let pending: Buffer | undefined;
    let nextId = 0x10000;
    let nextSeq = 1;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      const b = pending ? Buffer.concat([pending, chunk]) : chunk;
      const out: Buffer[] = [];
      let off = 0;
      while (b.length - off >= 16) {
        const len = b.readUInt32BE(off);
        if (len < 16) {
          socket.destroy();
          return;
        }
        if (b.length - off < len) break;
        const cmd = b.readUInt32BE(off + 4);
        const seq = b.readUInt32BE(off + 12);
        if (cmd === SUBMIT_SM) {
          const id = (nextId++).toString(16);
          out.push(encodeWithHeader('submit_sm_resp', { message_id: id }, 0, seq));
          if ((registeredDelivery(b, off, off + len) & 0x03) !== 0) out.push(receiptFor(id, nextSeq++));
        } else if (cmd === DELIVER_SM_RESP) {
          // read and dropped
        } else if (cmd === BIND_TRANSCEIVER || cmd === BIND_TRANSMITTER || cmd === BIND_RECEIVER) {
          const name =
            cmd === BIND_TRANSCEIVER
              ? 'bind_transceiver_resp'
              : cmd === BIND_TRANSMITTER
                ? 'bind_transmitter_resp'
                : 'bind_receiver_resp';
          out.push(encodeWithHeader(name, { system_id: 'RAW', tlvs: { sc_interface_version: 0x34 } }, 0, seq));
        } else if (cmd === ENQUIRE_LINK) {
          out.push(encodeWithHeader('enquire_link_resp', {}, 0, seq));
        } else if (cmd === UNBIND) {
          out.push(encodeWithHeader('unbind_resp', {}, 0, seq));
        }
        off += len;
      }
      pending = off < b.length ? Buffer.from(b.subarray(off)) : undefined;
      if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
