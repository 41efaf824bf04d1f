// Submit validation by rule: one field in, one command_status out, for every check the simulator makes on a
// submit_sm (handlers/submit-validation.ts), over a real socket with PDUs encoded by @smppkit/core.

import { CommandStatus, type CommandStatusName, TlvTag } from '@smppkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, submitSmPdu, withRawTlv } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';

let smsc: SmscHandle;
let c: RawClient;
let seq = 1;

beforeAll(async () => {
  smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
  c = await rawClient(smsc.port);
  c.socket.write(bindPdu(seq++, 'rules'));
  expect((await c.next()).command_status).toBe(0);
});
afterAll(async () => {
  c.socket.destroy();
  await smsc.close();
});

const UDHI = 0x40;
const sar = (seq: number, total: number) => ({
  sar_msg_ref_num: 1,
  sar_total_segments: total,
  sar_segment_seqnum: seq,
});

/** [what, fields over a valid submit_sm (or the PDU itself, for what the encoder will not write), the status it gets] */
const CASES: Array<[string, Record<string, unknown> | ((seq: number) => Buffer), CommandStatusName | 'ESME_ROK']> = [
  ['a valid submit_sm', {}, 'ESME_ROK'],
  ['source_addr_ton reserved', { source_addr_ton: 7 }, 'ESME_RINVSRCTON'],
  ['source_addr_npi reserved', { source_addr_npi: 2 }, 'ESME_RINVSRCNPI'],
  ['international source_addr with letters', { source_addr: 'ACME' }, 'ESME_RINVSRCADR'],
  ['alphanumeric source_addr', { source_addr_ton: 5, source_addr_npi: 0, source_addr: 'ACME' }, 'ESME_ROK'],
  ['dest_addr_ton reserved', { dest_addr_ton: 9 }, 'ESME_RINVDSTTON'],
  ['dest_addr_npi reserved', { dest_addr_npi: 5 }, 'ESME_RINVDSTNPI'],
  ['empty destination_addr', { destination_addr: '' }, 'ESME_RINVDSTADR'],
  ['international destination_addr over 15 digits', { destination_addr: '4479000000000001' }, 'ESME_RINVDSTADR'],
  ['destination_addr with a dash', { dest_addr_ton: 0, destination_addr: '44-79' }, 'ESME_RINVDSTADR'],
  ['esm_class message type MC delivery receipt', { esm_class: 0x04 }, 'ESME_RINVESMCLASS'],
  ['esm_class SME delivery ack', { esm_class: 0x08 }, 'ESME_ROK'],
  ['registered_delivery reserved bits', { registered_delivery: 0x20 }, 'ESME_RINVREGDLVFLG'],
  ['priority_flag 5', { priority_flag: 5 }, 'ESME_RINVPRTFLG'],
  ['replace_if_present_flag 2', { replace_if_present_flag: 2 }, 'ESME_RINVREPFLAG'],
  ['sm_default_msg_id set', { sm_default_msg_id: 1 }, 'ESME_RINVDFTMSGID'],
  ['data_coding reserved', { data_coding: 0x0b }, 'ESME_RINVDCS'],
  [
    'short_message and message_payload both',
    (seq) => withRawTlv(submitSmPdu(seq), TlvTag.message_payload, Buffer.from('y')),
    'ESME_RINVMSGLEN',
  ],
  [
    'a UDH part 3 of 2',
    { esm_class: UDHI, short_message: Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x03, 0x41]) },
    'ESME_RINVMSGLEN',
  ],
  ['a UDH cut short', { esm_class: UDHI, short_message: Buffer.from([0x05, 0x00, 0x03]) }, 'ESME_RINVMSGLEN'],
  ['SAR segment 3 of 2', { tlvs: sar(3, 2) }, 'ESME_RINVTLVVAL'],
  ['schedule_delivery_time not an SMPP time', { schedule_delivery_time: '991399000000000+' }, 'ESME_RINVSCHED'],
  ['validity_period not an SMPP time', { validity_period: '000000000000000R' }, 'ESME_RINVEXPIRY'],
  ['validity_period in the past', { validity_period: '000101000000000+' }, 'ESME_RINVEXPIRY'],
  [
    'validity_period before schedule_delivery_time',
    { schedule_delivery_time: '000000020000000R', validity_period: '000000010000000R' },
    'ESME_RINVEXPIRY',
  ],
];

describe('submit_sm validation', () => {
  it.each(CASES.map(([what, fields, status]) => [what, status, fields] as const))(
    '%s → %s',
    async (_what, expected, fields) => {
      const s = seq++;
      c.socket.write(typeof fields === 'function' ? fields(s) : submitSmPdu(s, fields));
      const r = await c.next();
      expect(r).toMatchObject({ command: 'submit_sm_resp', sequence_number: s });
      expect(r.command_status).toBe(expected === 'ESME_ROK' ? 0 : CommandStatus[expected]);
    },
  );
});
