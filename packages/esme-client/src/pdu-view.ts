// A PDU as a person reads it in a trace or a JSON line: the password redacted (in the fields and in the hex),
// octet strings (short_message, message_payload, …) as hex and, for the message text, decoded by data_coding.
import type { Pdu } from '@smppkit/core';
import { CommandId, EsmClass } from '@smppkit/core';
import { decodeText, parseUdh } from '@smppkit/encoding';

/** The PDUs whose body starts system_id, password. */
const WITH_PASSWORD = new Set<number>([
  CommandId.bind_receiver,
  CommandId.bind_transmitter,
  CommandId.bind_transceiver,
  CommandId.outbind,
]);

/** The text of a short_message / message_payload, or why it cannot be decoded. */
function textOf(data: Buffer, pdu: Record<string, unknown>): { text?: string; udh?: string; textError?: string } {
  try {
    let body: Buffer = data;
    let udh: string | undefined;
    if (((pdu.esm_class as number | undefined) ?? 0) & EsmClass.UDHI) {
      const len = parseUdh(data).length;
      udh = data.subarray(0, len).toString('hex');
      body = data.subarray(len);
    }
    const out: { text?: string; udh?: string } = {
      text: decodeText(body, (pdu.data_coding as number | undefined) ?? 0),
    };
    if (udh !== undefined) out.udh = udh;
    return out;
  } catch (err) {
    return { textError: (err as Error).message };
  }
}

function view(value: unknown, pdu: Record<string, unknown>, key: string): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    const b = Buffer.isBuffer(value) ? value : Buffer.from(value);
    if (key === 'short_message' || key === 'message_payload') return { hex: b.toString('hex'), ...textOf(b, pdu) };
    return { hex: b.toString('hex') };
  }
  if (Array.isArray(value)) return value.map((v) => view(v, pdu, key));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = view(v, pdu, k);
    return out;
  }
  return value;
}

/** The PDU as plain JSON: password '***', octet strings { hex, text? }. */
export function pduView(pdu: Pdu): Record<string, unknown> {
  const p = pdu as unknown as Record<string, unknown>;
  const out = view(p, p, '') as Record<string, unknown>;
  if ('password' in out) out.password = '***';
  return out;
}

/**
 * The PDU's octets as hex, with a bind's (or outbind's) password replaced by '*' (0x2a) octets: the header (16 octets), then
 * system_id and password as C-Octet Strings.
 */
export function redactedHex(bytes: Buffer): string {
  if (bytes.length < 17 || !WITH_PASSWORD.has(bytes.readUInt32BE(4))) return bytes.toString('hex');
  const idEnd = bytes.indexOf(0, 16);
  if (idEnd < 0) return bytes.toString('hex');
  const pwEnd = bytes.indexOf(0, idEnd + 1);
  const copy = Buffer.from(bytes);
  copy.fill(0x2a, idEnd + 1, pwEnd < 0 ? copy.length : pwEnd);
  return copy.toString('hex');
}
