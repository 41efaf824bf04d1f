// Strict and lenient decoding of C-strings longer than the spec allows. Frames written here by hand, field by field.
import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  encodePdu,
  type LeniencyWarning,
  type PduOf,
  CommandStatus as S,
  SmppDecodeError,
  SmppEncodeError,
} from '../src/index.js';

const cstr = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.of(0)]);
const raw = (s: string) => Buffer.from(s, 'latin1');

function frame(commandId: number, body: Buffer[], seq = 7): Buffer {
  const b = Buffer.concat(body);
  const h = Buffer.alloc(16);
  h.writeUInt32BE(16 + b.length, 0);
  h.writeUInt32BE(commandId >>> 0, 4);
  h.writeUInt32BE(0, 8);
  h.writeUInt32BE(seq, 12);
  return Buffer.concat([h, b]);
}

const RECEIPT = 'id:a1 sub:001 dlvrd:001 submit date:2612011000 done date:2612011001 stat:DELIVRD err:000 text:hi';

/** deliver_sm from the Go simulator that sends service_type "smscsim": 8 octets where 6 are allowed. */
function deliverSm(opts: { serviceType?: Buffer; sourceAddr?: Buffer; schedule?: Buffer; tlvs?: Buffer } = {}): Buffer {
  const sm = raw(RECEIPT);
  return frame(0x00000005, [
    opts.serviceType ?? cstr('smscsim'),
    Buffer.of(1, 1),
    opts.sourceAddr ?? cstr('4790000001'),
    Buffer.of(5, 0),
    cstr('ACME'),
    Buffer.of(0x04, 0, 0),
    opts.schedule ?? cstr(''),
    cstr(''),
    Buffer.of(0, 0, 0, 0, sm.length),
    sm,
    opts.tlvs ?? Buffer.alloc(0),
  ]);
}

function decodeError(b: Buffer, lenient = false): SmppDecodeError {
  try {
    decodePdu(b, lenient ? { strictness: 'lenient' } : undefined);
  } catch (e) {
    expect(e).toBeInstanceOf(SmppDecodeError);
    return e as SmppDecodeError;
  }
  throw new Error('expected a SmppDecodeError');
}

function lenient(b: Buffer): { pdu: ReturnType<typeof decodePdu>; warnings: LeniencyWarning[] } {
  const warnings: LeniencyWarning[] = [];
  const pdu = decodePdu(b, { strictness: 'lenient', onLenient: (w) => warnings.push(w) });
  return { pdu, warnings };
}

describe('a C-string past its maximum', () => {
  it("strict (the default): refused with the field's own status, not fatal, sequence number kept", () => {
    const e = decodeError(deliverSm());
    expect(e).toMatchObject({
      code: 'FIELD_TOO_LONG',
      commandStatus: S.ESME_RINVSERTYP,
      field: 'service_type',
      fatal: false,
      sequenceNumber: 7,
    });
  });

  it('lenient: decoded as received, every other field in place, one warning naming the field', () => {
    const { pdu, warnings } = lenient(deliverSm());
    const d = pdu as PduOf<'deliver_sm'>;
    expect(d).toMatchObject({
      command: 'deliver_sm',
      sequence_number: 7,
      service_type: 'smscsim',
      source_addr: '4790000001',
      destination_addr: 'ACME',
      esm_class: 4,
    });
    expect(d.short_message.toString('latin1')).toBe(RECEIPT);
    expect(warnings).toEqual([{ command: 'deliver_sm', field: 'service_type', length: 8, max: 6 }]);
  });

  it('lenient without a listener still decodes; a strict decode after it is strict again', () => {
    expect((decodePdu(deliverSm(), { strictness: 'lenient' }) as PduOf<'deliver_sm'>).service_type).toBe('smscsim');
    expect(decodeError(deliverSm()).code).toBe('FIELD_TOO_LONG');
    expect(decodeError(deliverSm()).commandStatus).toBe(S.ESME_RINVSERTYP);
  });

  it('lenient: one warning per field, in wire order', () => {
    const { pdu, warnings } = lenient(deliverSm({ sourceAddr: cstr('4'.repeat(30)) }));
    expect((pdu as PduOf<'deliver_sm'>).source_addr).toBe('4'.repeat(30));
    expect(warnings).toEqual([
      { command: 'deliver_sm', field: 'service_type', length: 8, max: 6 },
      { command: 'deliver_sm', field: 'source_addr', length: 31, max: 21 },
    ]);
  });

  it("lenient, but no NUL within 256 octets: refused with the field's status", () => {
    const e = decodeError(deliverSm({ serviceType: cstr('x'.repeat(300)) }), true);
    expect(e).toMatchObject({
      code: 'FIELD_TOO_LONG',
      commandStatus: S.ESME_RINVSERTYP,
      field: 'service_type',
      fatal: false,
    });
    expect(e.message).toMatch(/no NUL within 256 octets/);
    // 255 characters + NUL is the longest accepted
    expect(
      (lenient(deliverSm({ serviceType: cstr('x'.repeat(255)) })).pdu as PduOf<'deliver_sm'>).service_type,
    ).toHaveLength(255);
  });

  it('lenient never reads past command_length: a C-string running to the end is truncated, as in strict', () => {
    const b = frame(0x00000005, [cstr(''), Buffer.of(1, 1), raw('4'.repeat(30))]);
    expect(decodeError(b)).toMatchObject({ code: 'FIELD_TOO_LONG', commandStatus: S.ESME_RINVSRCADR });
    expect(decodeError(b, true)).toMatchObject({
      code: 'TRUNCATED',
      commandStatus: S.ESME_RINVCMDLEN,
      field: 'source_addr',
    });
  });

  it('lenient keeps time fields to their one form (no warning, the same refusal)', () => {
    const b = deliverSm({ serviceType: cstr(''), schedule: cstr('2612011000000000+XYZ') });
    for (const mode of [false, true]) {
      expect(decodeError(b, mode)).toMatchObject({
        code: 'FIELD_TOO_LONG',
        commandStatus: S.ESME_RINVSCHED,
        field: 'schedule_delivery_time',
      });
    }
  });

  it("lenient: a response's last C-string may also lack its NUL at the very end", () => {
    const b = frame(0x80000004, [raw('m'.repeat(70))]);
    expect(decodeError(b)).toMatchObject({ code: 'FIELD_TOO_LONG', commandStatus: S.ESME_RINVMSGID });
    const { pdu, warnings } = lenient(b);
    expect((pdu as PduOf<'submit_sm_resp'>).message_id).toBe('m'.repeat(70));
    expect(warnings).toEqual([{ command: 'submit_sm_resp', field: 'message_id', length: 70, max: 65 }]);
  });

  it('lenient: a C-string TLV past its maximum is accepted too, named tlvs.<name>', () => {
    const id = cstr('r'.repeat(69)); // 70 octets, 65 allowed
    const tlv = Buffer.concat([Buffer.of(0x00, 0x1e, 0, id.length), id]);
    const b = deliverSm({ serviceType: cstr(''), tlvs: tlv });
    expect(decodeError(b)).toMatchObject({
      code: 'BAD_TLV_LENGTH',
      commandStatus: S.ESME_RINVTLVLEN,
      field: 'tlvs.receipted_message_id',
    });
    const { pdu, warnings } = lenient(b);
    expect(pdu.tlvs?.receipted_message_id).toBe('r'.repeat(69));
    expect(warnings).toEqual([{ command: 'deliver_sm', field: 'tlvs.receipted_message_id', length: 70, max: 65 }]);
  });

  it('what we send stays strict: the leniently decoded PDU does not encode', () => {
    const { pdu } = lenient(deliverSm());
    expect(() => encodePdu(pdu)).toThrow(SmppEncodeError);
    expect(() => encodePdu(pdu)).toThrow(/service_type/);
  });

  it('broken framing is fatal in both modes', () => {
    const b = deliverSm();
    const short = b.subarray(0, b.length - 1); // command_length says one octet more
    for (const mode of [false, true]) {
      expect(decodeError(short, mode)).toMatchObject({
        code: 'BAD_COMMAND_LENGTH',
        commandStatus: S.ESME_RINVCMDLEN,
        fatal: true,
      });
    }
  });
});
