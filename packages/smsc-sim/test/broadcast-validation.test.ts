// broadcast_sm validation by rule: one field or TLV in, one command_status out, for every check the simulator makes
// (handlers/broadcast-validation.ts, the envelope checks it shares with submit_sm, and the codec's own), over a
// real socket with PDUs encoded by @smppkit/core.

import { CommandStatus, type CommandStatusName, TlvTag } from '@smppkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { BROADCAST_BODY_END, broadcastPdu, withoutTlv } from './broadcast-pdus.js';
import { bindPdu, withRawTlv } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';

let smsc: SmscHandle;
let c: RawClient;
let seq = 1;

beforeAll(async () => {
  smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
  c = await rawClient(smsc.port);
  c.socket.write(bindPdu(seq++, 'cbc', 'pw', 'bind_transceiver', { interface_version: 0x50 }));
  expect((await c.next()).command_status).toBe(0);
});
afterAll(async () => {
  c.socket.destroy();
  await smsc.close();
});

const area = (format: number, details: string) => ({ format, details: Buffer.from(details) });
const without = (tag: number) => (s: number) => withoutTlv(broadcastPdu(s), BROADCAST_BODY_END, tag);

type Case = [
  string,
  [Record<string, unknown>, Record<string, unknown>] | ((seq: number) => Buffer),
  CommandStatusName | 'ESME_ROK',
];
const CASES: Case[] = [
  ['a valid broadcast_sm', [{}, {}], 'ESME_ROK'],
  // the codec: mandatory TLVs, TLV lengths (ESME_RINVTLVLEN, v5.0's status for a TLV of the wrong length)
  ['no broadcast_area_identifier', without(TlvTag.broadcast_area_identifier), 'ESME_RMISSINGTLV'],
  ['no broadcast_content_type', without(TlvTag.broadcast_content_type), 'ESME_RMISSINGTLV'],
  ['no broadcast_rep_num', without(TlvTag.broadcast_rep_num), 'ESME_RMISSINGTLV'],
  ['no broadcast_frequency_interval', without(TlvTag.broadcast_frequency_interval), 'ESME_RMISSINGTLV'],
  [
    'broadcast_content_type of 2 octets',
    (s) =>
      withRawTlv(
        withoutTlv(broadcastPdu(s), BROADCAST_BODY_END, TlvTag.broadcast_content_type),
        TlvTag.broadcast_content_type,
        Buffer.from([1, 0]),
      ),
    'ESME_RINVTLVLEN',
  ],
  // the envelope, as for submit_sm
  ['source_addr_ton reserved', [{ source_addr_ton: 7 }, {}], 'ESME_RINVSRCTON'],
  ['source_addr_npi reserved', [{ source_addr_npi: 2 }, {}], 'ESME_RINVSRCNPI'],
  ['international source_addr with letters', [{ source_addr: 'ACME' }, {}], 'ESME_RINVSRCADR'],
  ['priority_flag 5', [{ priority_flag: 5 }, {}], 'ESME_RINVPRTFLG'],
  ['priority_flag 4 (GSM CBS background)', [{ priority_flag: 4 }, {}], 'ESME_ROK'],
  ['replace_if_present_flag 2', [{ replace_if_present_flag: 2 }, {}], 'ESME_RINVREPFLAG'],
  ['sm_default_msg_id set', [{ sm_default_msg_id: 1 }, {}], 'ESME_RINVDFTMSGID'],
  ['data_coding reserved', [{ data_coding: 0x0b }, {}], 'ESME_RINVDCS'],
  ['schedule_delivery_time not an SMPP time', [{ schedule_delivery_time: '991399000000000+' }, {}], 'ESME_RINVSCHED'],
  ['validity_period in the past', [{ validity_period: '000101000000000+' }, {}], 'ESME_RINVEXPIRY'],
  // the broadcast TLVs
  [
    '65 areas',
    [{}, { broadcast_area_identifier: Array.from({ length: 65 }, (_, i) => area(0, `a${i}`)) }],
    'ESME_RINVNUMBCAST_AREAS',
  ],
  ['64 areas', [{}, { broadcast_area_identifier: Array.from({ length: 64 }, (_, i) => area(0, `a${i}`)) }], 'ESME_ROK'],
  ['area format 3', [{}, { broadcast_area_identifier: [area(3, 'x')] }], 'ESME_RINVBCASTAREAFMT'],
  [
    'second area of format 9',
    [{}, { broadcast_area_identifier: [area(0, 'Oslo'), area(9, 'x')] }],
    'ESME_RINVBCASTAREAFMT',
  ],
  ['empty alias name', [{}, { broadcast_area_identifier: [area(0, '')] }], 'ESME_RINVBCASTALIAS_NAME'],
  ['polygon without details', [{}, { broadcast_area_identifier: [area(2, '')] }], 'ESME_RINVBCASTAREAFMT'],
  ['ellipsoid arc with details', [{}, { broadcast_area_identifier: [area(1, 'arc!')] }], 'ESME_ROK'],
  [
    'content network type 4',
    [{}, { broadcast_content_type: { network_type: 4, content_type: 1 } }],
    'ESME_RINVBCASTCNTTYPE',
  ],
  ['content network type 3 (CDMA)', [{}, { broadcast_content_type: { network_type: 3, content_type: 1 } }], 'ESME_ROK'],
  ['broadcast_rep_num 0 (until its validity ends)', [{}, { broadcast_rep_num: 0 }], 'ESME_ROK'],
  [
    'frequency unit 0x01',
    [{}, { broadcast_frequency_interval: { time_unit: 0x01, number: 1 } }],
    'ESME_RINVBCASTFREQINT',
  ],
  [
    'frequency 0 minutes',
    [{}, { broadcast_frequency_interval: { time_unit: 0x09, number: 0 } }],
    'ESME_RINVBCASTFREQINT',
  ],
  [
    'frequency as often as possible',
    [{}, { broadcast_frequency_interval: { time_unit: 0x00, number: 0 } }],
    'ESME_ROK',
  ],
  ['broadcast_channel_indicator 2', [{}, { broadcast_channel_indicator: 2 }], 'ESME_RINVBCASTCHANIND'],
  ['broadcast_message_class 4', [{}, { broadcast_message_class: 4 }], 'ESME_RINVBCASTMSGCLASS'],
  ['broadcast_message_class 3', [{}, { broadcast_message_class: 3 }], 'ESME_ROK'],
  ['no message_payload', [{}, { message_payload: undefined }], 'ESME_RMISSINGTLV'],
  [
    'replace of a message_id that names no broadcast',
    [{ replace_if_present_flag: 1, message_id: '999999' }, {}],
    'ESME_RBCASTFAIL',
  ],
];

describe('broadcast_sm validation', () => {
  it.each(CASES.map(([what, fields, status]) => [what, status, fields] as const))(
    '%s → %s',
    async (_what, expected, fields) => {
      const s = seq++;
      c.socket.write(typeof fields === 'function' ? fields(s) : broadcastPdu(s, fields[0], fields[1]));
      const r = await c.next();
      expect(r).toMatchObject({ command: 'broadcast_sm_resp', sequence_number: s });
      expect(r.command_status).toBe(expected === 'ESME_ROK' ? 0 : CommandStatus[expected]);
      if (expected === 'ESME_ROK') expect((r as { message_id: string }).message_id).toMatch(/^\d+$/);
    },
  );

  it('stores only what it accepted', () => {
    const ok = CASES.filter(([, , s]) => s === 'ESME_ROK').length;
    expect(smsc.messages({ limit: 1000 }).filter((m) => m.command === 'broadcast_sm')).toHaveLength(ok);
  });

  it('is refused on a receiver bind (ESME_RINVBNDSTS), before any check', async () => {
    const rx = await rawClient(smsc.port);
    rx.socket.write(bindPdu(1, 'cbc', 'pw', 'bind_receiver', { interface_version: 0x50 }));
    expect((await rx.next()).command_status).toBe(0);
    rx.socket.write(broadcastPdu(2, { priority_flag: 9 }));
    expect(await rx.next()).toMatchObject({
      command: 'broadcast_sm_resp',
      sequence_number: 2,
      command_status: CommandStatus.ESME_RINVBNDSTS,
    });
    rx.socket.destroy();
  });
});
