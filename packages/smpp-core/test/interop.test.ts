// Cross-check with an implementation nobody here wrote: the npm `smpp` package (test-only dependency).
// For every PDU type: what we encode, smpp decodes to the same field values; what smpp encodes, we decode to
// the same values. smpp's own representations are mapped here (node_modules/smpp/lib/defs.js):
// short_message → { message } (a Buffer for data_coding 4), time fields → Date, TLVs as top-level properties,
// network_error_code raw, broadcast structures { network, content_type } / { unit, interval } / { format, data },
// callback_num { digit_mode, ton, npi, number }, unknown TLVs under their numeric tag.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_TABLE,
  type CommandName,
  decodePdu,
  encodePdu,
  type FieldDef,
  type Pdu,
  parseSmppTime,
  type Tlvs,
} from '../src/index.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const { PDU } = require('smpp/lib/pdu.js') as { PDU: any };

const TIME = '261123120000004+'; // 2026-11-23 12:00 at UTC+1

function fieldValue(f: FieldDef, i: number): unknown {
  switch (f.type) {
    case 'u8':
      return f.name === 'data_coding' ? 4 : (i * 7 + 1) % 256;
    case 'cstring': {
      const s = `${f.name.replace(/_/g, '').toUpperCase()}${i}`;
      return s.slice(0, Math.min(f.max - 1, 12));
    }
    case 'time':
      return f.name === 'validity_period' ? '' : TIME;
    case 'short_message':
      return Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x41, 0x42]);
    case 'dest_address':
      return [
        { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '447700900123' },
        { dest_flag: 2, dl_name: 'friends' },
      ];
    case 'unsuccess_sme':
      return [{ dest_addr_ton: 2, dest_addr_npi: 8, destination_addr: '0612345678', error_status_code: 0x0b }];
  }
}

const TLVS: Partial<Record<CommandName, Tlvs>> = {
  submit_sm: {
    sar_msg_ref_num: 0x1234,
    sar_total_segments: 2,
    sar_segment_seqnum: 1,
    user_message_reference: 9,
    callback_num: [Buffer.from('\x00\x01\x014477', 'latin1')],
  },
  deliver_sm: {
    receipted_message_id: 'ABC123',
    message_state: 2,
    network_error_code: { type: 3, code: 0x0102 },
    source_port: 9200,
  },
  data_sm: { message_payload: Buffer.from([1, 2, 3, 0]), qos_time_to_live: 86400, dest_port: 2948 },
  data_sm_resp: { additional_status_info_text: 'no route', delivery_failure_reason: 1, dpf_result: 0 },
  bind_transceiver_resp: { sc_interface_version: 0x50 },
  alert_notification: { ms_availability_status: 1 },
  broadcast_sm: {
    broadcast_area_identifier: [
      { format: 0, details: Buffer.from('London') },
      { format: 1, details: Buffer.from([0x0a, 0x0b]) },
    ],
    broadcast_content_type: { network_type: 1, content_type: 0x0102 },
    broadcast_rep_num: 3,
    broadcast_frequency_interval: { time_unit: 9, number: 15 },
  },
  broadcast_sm_resp: {
    failed_broadcast_area_identifier: [{ format: 1, details: Buffer.from([7]) }],
    broadcast_error_status: [0x109],
  },
  query_broadcast_sm_resp: {
    message_state: 1,
    broadcast_area_identifier: [{ format: 0, details: Buffer.from('Paris') }],
    broadcast_area_success: 100,
  },
  cancel_broadcast_sm: { broadcast_content_type: { network_type: 0, content_type: 1 }, user_message_reference: 4 },
};

function sample(name: CommandName): Pdu {
  const def = COMMAND_TABLE.find((c) => c.name === name)!;
  const p: Record<string, unknown> = { command: name, command_status: 0, sequence_number: 1000 + (def.id % 1000) };
  def.body.forEach((f, i) => (p[f.name] = fieldValue(f, i)));
  if (TLVS[name]) p.tlvs = TLVS[name];
  return p as Pdu;
}

/** What smpp's decoder gives for one of our values (it decodes message text only in PDUs with a data_coding). */
function theirView(name: string, v: unknown, hasDataCoding = true): unknown {
  if (name === 'short_message' || name === 'message_payload') return hasDataCoding ? { message: v } : v;
  if (name === 'schedule_delivery_time' || name === 'validity_period' || name === 'final_date') {
    const t = parseSmppTime(v as string);
    return t === null ? '' : t.date;
  }
  if (name === 'dest_address') return (v as Record<string, unknown>[]).map(({ dest_flag: _f, ...rest }) => rest);
  if (name === 'network_error_code') {
    const n = v as { type: number; code: number };
    return Buffer.from([n.type, n.code >> 8, n.code & 255]);
  }
  if (name === 'broadcast_content_type') {
    const b = v as { network_type: number; content_type: number };
    return { network: b.network_type, content_type: b.content_type };
  }
  if (name === 'broadcast_frequency_interval') {
    const b = v as { time_unit: number; number: number };
    return { unit: b.time_unit, interval: b.number };
  }
  if (name === 'broadcast_area_identifier' || name === 'failed_broadcast_area_identifier') {
    return (v as { format: number; details: Buffer }[]).map((a) => ({
      format: a.format,
      data: a.format === 0 ? a.details.toString('ascii') : a.details,
    }));
  }
  if (name === 'callback_num') {
    return (v as Buffer[]).map((b) => ({ digit_mode: b[0], ton: b[1], npi: b[2], number: b.toString('ascii', 3) }));
  }
  return v;
}

/** Our PDU as smpp's constructor takes it (TLVs flattened; structures in smpp's shapes). */
function theirInput(p: Pdu): Record<string, unknown> {
  const { command: _c, tlvs, unknown_tlvs: _u, ...fields } = p as Pdu & Record<string, unknown>;
  const out: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(tlvs ?? {})) {
    const view = theirView(k, v);
    out[k] = k === 'message_payload' ? v : k === 'callback_num' ? v : view;
    if (k === 'broadcast_area_identifier' || k === 'failed_broadcast_area_identifier') {
      out[k] = (v as { format: number; details: Buffer }[]).map((a) => ({
        format: a.format,
        data: Buffer.from(a.details),
      }));
    }
  }
  return out;
}

const names = COMMAND_TABLE.map((c) => c.name as CommandName);

describe('interop with the npm smpp package', () => {
  it.each(names)('%s: smpp decodes what we encode to the same values', (name) => {
    const ours = sample(name);
    const bytes = encodePdu(ours);
    const theirs = new PDU(bytes);
    expect(theirs.command).toBe(name);
    expect(theirs.command_length).toBe(bytes.length);
    expect(theirs.sequence_number).toBe(ours.sequence_number);
    expect(theirs.command_status).toBe(ours.command_status);
    const {
      command: _c,
      command_status: _s,
      sequence_number: _q,
      tlvs,
      ...fields
    } = ours as Pdu & Record<string, unknown>;
    for (const [k, v] of Object.entries({ ...fields, ...(tlvs ?? {}) })) {
      expect(theirs[k], k).toEqual(theirView(k, v, 'data_coding' in fields));
    }
  });

  it.each(names)('%s: we decode what smpp encodes to the same values', (name) => {
    const ours = sample(name);
    const bytes: Buffer = new PDU(name, theirInput(ours)).toBuffer();
    expect(decodePdu(bytes)).toEqual(ours);
  });

  it('error responses: both sides write and read them header-only', () => {
    const bytes = encodePdu({ command: 'submit_sm_resp', command_status: 0x58, sequence_number: 5, message_id: 'x' });
    const theirs = new PDU(bytes);
    expect(theirs.command_status).toBe(0x58);
    expect(theirs.message_id).toBeUndefined();
    const back = decodePdu(new PDU('submit_sm_resp', { command_status: 0x58, sequence_number: 5 }).toBuffer());
    expect(back).toEqual({ command: 'submit_sm_resp', command_status: 0x58, sequence_number: 5 });
  });

  it('vendor TLVs: smpp sees the raw bytes we wrote back', () => {
    const p = { ...sample('submit_sm'), unknown_tlvs: [{ tag: 0x1401, value: Buffer.from([0xca, 0xfe]) }] } as Pdu;
    const theirs = new PDU(encodePdu(p));
    expect(theirs[0x1401]).toEqual(Buffer.from([0xca, 0xfe]));
  });
});
