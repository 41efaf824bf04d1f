import { describe, expect, it } from 'vitest';
import {
  COMMAND_TABLE,
  CommandId,
  CommandStatus,
  decodePdu,
  encodePdu,
  encodeWithHeader,
  type Pdu,
  type PduOf,
  SmppDecodeError,
  SmppEncodeError,
  statusDescription,
  statusName,
} from '../src/index.js';

const hex = (s: string) => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');

/** Builds a frame around a body given as hex: header written here, by hand, not by the encoder. */
function frame(commandId: number, body: string, seq = 1, status = 0): Buffer {
  const b = hex(body);
  const h = Buffer.alloc(16);
  h.writeUInt32BE(16 + b.length, 0);
  h.writeUInt32BE(commandId >>> 0, 4);
  h.writeUInt32BE(status, 8);
  h.writeUInt32BE(seq, 12);
  return Buffer.concat([h, b]);
}

function decodeError(b: Buffer): SmppDecodeError {
  try {
    decodePdu(b);
  } catch (e) {
    expect(e).toBeInstanceOf(SmppDecodeError);
    return e as SmppDecodeError;
  }
  throw new Error('expected a SmppDecodeError');
}

function encodeError(p: unknown): SmppEncodeError {
  try {
    encodePdu(p as Pdu);
  } catch (e) {
    expect(e).toBeInstanceOf(SmppEncodeError);
    return e as SmppEncodeError;
  }
  throw new Error('expected a SmppEncodeError');
}

const submit: PduOf<'submit_sm'> = {
  command: 'submit_sm',
  command_status: 0,
  sequence_number: 2,
  service_type: '',
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'ACME',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '447700900123',
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: '',
  validity_period: '',
  registered_delivery: 1,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: Buffer.from('Hi'),
};

describe('tables', () => {
  it('derive command ids, response ids and status names', () => {
    expect(CommandId.submit_sm).toBe(0x04);
    expect(CommandId.submit_sm_resp).toBe(0x80000004);
    expect(CommandId.broadcast_sm).toBe(0x111);
    expect(CommandId.generic_nack).toBe(0x80000000);
    for (const c of COMMAND_TABLE) {
      if (c.name.endsWith('_resp')) {
        const req = COMMAND_TABLE.find((r) => r.name === c.name.slice(0, -5))!;
        expect(c.id >>> 0).toBe((req.id | 0x80000000) >>> 0);
      }
    }
    expect(CommandStatus.ESME_RINVTLVSTREAM).toBe(0xc0);
    expect(CommandStatus.ESME_RINVOPTPARSTREAM).toBe(0xc0);
    expect(statusName(0xc2)).toBe('ESME_RINVTLVLEN');
    expect(statusName(0x400)).toMatch(/VENDOR/);
    expect(statusDescription(0x58)).toMatch(/Throttl/);
  });
});

describe('encodePdu / decodePdu', () => {
  it('encodeWithHeader writes the header given apart, the same bytes as encodePdu, and leaves the fields as they were', () => {
    const fields = {
      command: 'query_sm',
      command_status: 99,
      sequence_number: 5,
      message_id: 'ab12',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4790',
    } as const;
    const copy = JSON.stringify(fields);
    const b = encodeWithHeader('query_sm', fields, 0, 0x01020304);
    expect(JSON.stringify(fields)).toBe(copy);
    expect(b).toEqual(encodePdu({ ...fields, command_status: 0, sequence_number: 0x01020304 }));
    expect(b.readUInt32BE(12)).toBe(0x01020304);
    // no fields: a header-only PDU; an error response stays header-only
    expect(encodeWithHeader('enquire_link', undefined, 0, 7)).toEqual(hex('00000010 00000015 00000000 00000007'));
    expect(encodeWithHeader('submit_sm_resp', { message_id: 'x' }, 0x45, 9)).toEqual(
      hex('00000010 80000004 00000045 00000009'),
    );
    expect(() => encodeWithHeader('query_sm', { message_id: 'x'.repeat(80) }, 0, 1)).toThrow(SmppEncodeError);
    expect(() => encodeWithHeader('nope' as never, {}, 0, 1)).toThrow(/not an SMPP command/);
  });

  it('encodes the v5.0 §3.2.2 bind_transmitter sample exactly', () => {
    const b = encodePdu({
      command: 'bind_transmitter',
      command_status: 0,
      sequence_number: 1,
      system_id: 'SMPP3TEST',
      password: 'secret08',
      system_type: 'SUBMIT1',
      interface_version: 0x50,
      addr_ton: 1,
      addr_npi: 1,
      address_range: '',
    });
    expect(b.toString('hex')).toBe(
      '0000002f000000020000000000000001534d50503354455354007365637265743038005355424d4954310050010100',
    );
  });

  it('round-trips a submit_sm with TLVs and a vendor TLV, byte for byte', () => {
    const p: PduOf<'submit_sm'> = {
      ...submit,
      tlvs: { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 1 },
      unknown_tlvs: [{ tag: 0x1401, value: hex('cafe') }],
    };
    const b = encodePdu(p);
    expect(b.readUInt32BE(0)).toBe(b.length);
    const d = decodePdu(b);
    expect(d).toEqual(p);
    expect(encodePdu(d).equals(b)).toBe(true);
  });

  it('decodes an error response without a body and encodes error responses header-only by default', () => {
    const d = decodePdu(frame(0x80000004, '', 9, 0x45));
    expect(d).toEqual({ command: 'submit_sm_resp', command_status: 0x45, sequence_number: 9 });
    const e = encodePdu({ command: 'submit_sm_resp', command_status: 0x45, sequence_number: 9, message_id: 'abc' });
    expect(e.length).toBe(16);
    const withBody = encodePdu(
      { command: 'submit_sm_resp', command_status: 0x45, sequence_number: 9, message_id: 'abc' },
      { bodyOnError: true },
    );
    expect(decodePdu(withBody)).toMatchObject({ message_id: 'abc', command_status: 0x45 });
  });

  it('accepts a resp body whose final NUL is missing', () => {
    expect(decodePdu(frame(0x80000004, '616263'))).toMatchObject({ message_id: 'abc' });
  });

  it('decodes a plain Uint8Array as well as a Buffer', () => {
    const b = encodePdu({ ...submit, source_addr: 'A-LONGER-SENDER-ID' });
    const d = decodePdu(new Uint8Array(b) as Buffer);
    expect(d).toEqual({ ...submit, source_addr: 'A-LONGER-SENDER-ID' });
  });

  it('keeps decoded PDUs of one kind in one object shape', () => {
    const a = decodePdu(encodePdu(submit));
    const b = decodePdu(encodePdu({ ...submit, tlvs: { user_message_reference: 1 } }));
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });
});

describe('strict decoding', () => {
  const SRC_TOO_LONG = `05 00 ${'31'.repeat(21)}00`;
  it.each([
    ['too-long source_addr', frame(4, `00 ${SRC_TOO_LONG} 010100`), 'ESME_RINVSRCADR'],
    ['unknown command_id', frame(0x77, ''), 'ESME_RINVCMDID'],
    ['sm_length past end', frame(4, `00 000000 010100 00 00 00 00 00 01 00 00 00 05 4142`), 'ESME_RINVMSGLEN'],
    ['TLV length past end', frame(0x80000004, `00 020c 0004 0001`), 'ESME_RINVTLVSTREAM'],
    ['stray octets after the last TLV', frame(0x80000004, `00 0201`), 'ESME_RINVTLVSTREAM'],
    ['wrong length of a fixed-size TLV', frame(0x80000004, `00 020c 0001 01`), 'ESME_RINVTLVLEN'],
    ['bad dest_flag', frame(0x21, `00 000000 01 03`), 'ESME_RINVDESTFLAG'],
    ['bad schedule_delivery_time', frame(4, `00 000000 000000 00 00 00 313233 00`), 'ESME_RINVSCHED'],
    ['missing mandatory TLV in broadcast_sm', frame(0x111, `00 000000 00 00 00 00 00 00 00`), 'ESME_RMISSINGTLV'],
  ] as const)('%s → %s', (_label, b, status) => {
    const e = decodeError(b);
    expect(statusName(e.commandStatus)).toBe(status);
    expect(e.fatal).toBe(false);
    expect(e.sequenceNumber).toBe(b.readUInt32BE(12));
    expect(e.commandId).toBe(b.readUInt32BE(4));
  });

  it('a command_length that disagrees with the frame is a fatal ESME_RINVCMDLEN', () => {
    const b = frame(0x15, '');
    b.writeUInt32BE(17, 0);
    const e = decodeError(b);
    expect(e.commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
    expect(e.fatal).toBe(true);
    expect(decodeError(Buffer.alloc(8)).fatal).toBe(true);
  });
});

describe('tolerant decoding', () => {
  it('accepts a 1-octet source_telematics_id', () => {
    const d = decodePdu(frame(0x80000004, `00 0010 0001 07`));
    expect(d.tlvs).toEqual({ source_telematics_id: 7 });
  });
  it('keeps unknown TLVs raw', () => {
    const d = decodePdu(frame(0x80000004, `00 3fff 0003 010203`));
    expect(d.unknown_tlvs).toEqual([{ tag: 0x3fff, value: hex('010203') }]);
  });
});

describe('strict encoding', () => {
  it('names the field and the value', () => {
    const e = encodeError({ ...submit, source_addr: 'x'.repeat(25) });
    expect(e.field).toBe('source_addr');
    expect(e.message).toBe(`source_addr is 25 octets, max 20: "${'x'.repeat(25)}"`);
    expect(encodeError({ ...submit, esm_class: 300 }).message).toMatch(/esm_class is 300/);
    expect(encodeError({ ...submit, short_message: Buffer.alloc(256) }).field).toBe('short_message');
    expect(encodeError({ ...submit, validity_period: '123' }).field).toBe('validity_period');
    expect(
      encodeError({
        command: 'query_sm_resp',
        command_status: 0,
        sequence_number: 1,
        message_id: '1',
        final_date: '000001000000000R',
        message_state: 2,
        error_code: 0,
      }).field,
    ).toBe('final_date');
    expect(encodeError({ ...submit, tlvs: { message_state: 256 } }).field).toBe('tlvs.message_state');
    expect(encodeError({ ...submit, tlvs: { no_such_tlv: 1 } }).field).toBe('tlvs.no_such_tlv');
    expect(encodeError({ ...submit, destination_addr: 'é€' }).field).toBe('destination_addr');
  });
});

describe('what decodes re-encodes', () => {
  // submit_sm with every field NULL, then its TLV part
  const SUBMIT_NULL = '00 000000 000000 000000 00 00 00000000 00';

  it('keeps vendor TLVs before, between and after known TLVs in place, byte for byte', () => {
    const b = frame(
      4,
      `${SUBMIT_NULL} 1400 0001 aa  020c 0002 1234  1401 0000  020c 0002 5678  020e 0001 02  3fff 0002 bbcc`,
    );
    const d = decodePdu(b);
    expect(d.tlvs).toEqual({ sar_msg_ref_num: 0x1234, sar_total_segments: 2 });
    expect(d.unknown_tlvs).toEqual([
      { tag: 0x1400, value: hex('aa'), after: 0 },
      { tag: 0x1401, value: hex(''), after: 1 },
      { tag: 0x020c, value: hex('5678'), after: 1 }, // a second sar_msg_ref_num, kept raw where it was
      { tag: 0x3fff, value: hex('bbcc') }, // after all known TLVs: no position needed
    ]);
    expect(encodePdu(d).toString('hex')).toBe(b.toString('hex'));
  });

  it('writes unknown TLVs without a position after the known ones, and checks `after`', () => {
    const vendor = { tag: 0x1400, value: hex('aa') };
    const p: PduOf<'submit_sm'> = { ...submit, tlvs: { user_message_reference: 1 }, unknown_tlvs: [vendor] };
    expect(encodePdu(p).subarray(-11).toString('hex')).toBe('020400020001140000' + '01aa');
    p.unknown_tlvs = [{ ...vendor, after: 0 }];
    expect(encodePdu(p).subarray(-11).toString('hex')).toBe('14000001aa' + '020400020001');
    p.unknown_tlvs = [{ ...vendor, after: -1 }];
    expect(() => encodePdu(p)).toThrow(/unknown_tlvs\[0\]\.after is -1/);
  });

  it('refuses a header-only query_broadcast_sm_resp with status 0: ESME_RMISSINGTLV, as with an empty body', () => {
    const e = decodeError(frame(0x80000112, ''));
    expect(statusName(e.commandStatus)).toBe('ESME_RMISSINGTLV');
    expect(e.field).toBe('tlvs.message_state');
    expect(statusName(decodeError(frame(0x80000112, '00')).commandStatus)).toBe('ESME_RMISSINGTLV');
    // an error response may still be header-only
    expect(decodePdu(frame(0x80000112, '', 3, 0x45))).toEqual({
      command: 'query_broadcast_sm_resp',
      command_status: 0x45,
      sequence_number: 3,
    });
  });

  it('decodes a header-only success response with its fields at their NULL values, as encodePdu writes them', () => {
    const d = decodePdu(frame(0x80000004, ''));
    expect(d).toMatchObject({ command: 'submit_sm_resp', message_id: '' });
    expect(decodePdu(encodePdu(d))).toEqual(d);
    expect(decodePdu(frame(0x80000021, ''))).toMatchObject({ message_id: '', unsuccess_sme: [] });
  });

  it('refuses short_message and message_payload both filled with ESME_RINVMSGLEN (strict)', () => {
    const e = decodeError(frame(4, `${SUBMIT_NULL.slice(0, -2)}01 41 0424 0001 42`));
    expect(statusName(e.commandStatus)).toBe('ESME_RINVMSGLEN');
    expect(e.field).toBe('short_message');
    expect(e.message).toMatch(/message_payload/);
    // sm_length 0 with message_payload is the normal form
    expect(decodePdu(frame(4, `${SUBMIT_NULL} 0424 0001 42`)).tlvs).toEqual({ message_payload: hex('42') });
  });

  it('accepts short_message and message_payload both filled when lenient, and reports it', () => {
    const warnings: unknown[] = [];
    const d = decodePdu(frame(5, `${SUBMIT_NULL.slice(0, -2)}01 41 0424 0001 42`), {
      strictness: 'lenient',
      onLenient: (w) => warnings.push(w),
    });
    expect(d).toMatchObject({ short_message: hex('41'), tlvs: { message_payload: hex('42') } });
    expect(warnings).toEqual([{ command: 'deliver_sm', field: 'short_message', length: 1, max: 0 }]);
  });
});
