// Golden vectors of fixtures/pdus/*.json (hex built field by field from the spec tables, not by this encoder):
// exact hex out, equal value back, whole buffer consumed, and every golden through the framer split at every offset.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_TABLE,
  CommandStatus,
  decodePdu,
  type EncodeOptions,
  encodePdu,
  type Pdu,
  PduFramer,
  SmppDecodeError,
  TLV_TABLE,
} from '../src/index.js';

interface Golden {
  name: string;
  hex: string;
  pdu?: unknown;
  decodeOnly?: boolean;
  encodeOptions?: EncodeOptions;
  error?: { commandStatus: keyof typeof CommandStatus; fatal: boolean; field?: string };
}

const dir = fileURLToPath(new URL('../../../fixtures/pdus/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const goldens: (Golden & { file: string })[] = files.flatMap((f) =>
  (JSON.parse(readFileSync(join(dir, f), 'utf8')) as Golden[]).map((g) => ({ ...g, file: f })),
);
const bytes = (g: Golden) => Buffer.from(g.hex.replace(/\s+/g, ''), 'hex');

/** JSON → PDU value: { hex } and { ascii } become Buffers. */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'hex') return Buffer.from(o.hex as string, 'hex');
    if (keys.length === 1 && keys[0] === 'ascii') return Buffer.from(o.ascii as string, 'latin1');
    return Object.fromEntries(keys.map((k) => [k, revive(o[k])]));
  }
  return v;
}

function framed(chunks: Buffer[], max?: number): Buffer[] {
  const out: Buffer[] = [];
  const f = new PduFramer((fr) => out.push(fr), max ? { maxCommandLength: max } : {});
  for (const c of chunks) f.push(c);
  expect(f.buffered).toBe(0);
  return out;
}

const valid = goldens.filter((g) => !g.error);
const invalid = goldens.filter((g) => g.error);

describe('golden vectors', () => {
  it('exist for every command of the table and every TLV value kind', () => {
    const commands = new Set(valid.map((g) => (g.pdu as Pdu).command));
    for (const c of COMMAND_TABLE) expect(commands, c.name).toContain(c.name);
    const tlvNames = new Set(valid.flatMap((g) => Object.keys((g.pdu as Pdu).tlvs ?? {})));
    const kinds = new Set(
      TLV_TABLE.filter((t) => tlvNames.has(t.name)).map((t) => `${t.type.kind}${'size' in t.type ? t.type.size : ''}`),
    );
    for (const k of [
      'int1',
      'int2',
      'int4',
      'uintvar',
      'cstring',
      'octets',
      'network_error_code',
      'broadcast_content_type',
      'broadcast_frequency_interval',
      'broadcast_area',
      'flag_or_int1',
      'ms_validity',
    ]) {
      expect(kinds, k).toContain(k);
    }
    expect(valid.some((g) => (g.pdu as Pdu).unknown_tlvs?.length)).toBe(true);
  });

  it.each(valid.map((g) => [`${g.file}: ${g.name}`, g] as const))('%s', (_n, g) => {
    const b = bytes(g);
    const value = revive(g.pdu) as Pdu;
    // whole buffer consumed: the header's command_length is the buffer's length and decode accepts it
    expect(b.readUInt32BE(0)).toBe(b.length);
    const decoded = decodePdu(b);
    expect(decoded).toEqual(value);
    if (!g.decodeOnly) expect(encodePdu(value, g.encodeOptions).toString('hex')).toBe(b.toString('hex'));
    // re-encoding what was decoded gives a PDU that decodes to the same value
    expect(decodePdu(encodePdu(decoded, g.encodeOptions))).toEqual(value);
    // the framer, split at every offset
    for (let i = 0; i <= b.length; i++) {
      const frames = framed([b.subarray(0, i), b.subarray(i)]);
      expect(frames.length).toBe(1);
      expect(frames[0].equals(b)).toBe(true);
    }
  });

  it('all goldens back to back, in one chunk and byte by byte, give the same frames', () => {
    const all = valid.map(bytes);
    const stream = Buffer.concat(all);
    const one = framed([stream]);
    expect(one.map((f) => f.toString('hex'))).toEqual(all.map((f) => f.toString('hex')));
    const bytewise: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) bytewise.push(stream.subarray(i, i + 1));
    expect(framed(bytewise).map((f) => f.toString('hex'))).toEqual(all.map((f) => f.toString('hex')));
    // in chunks of 7: partial PDUs across reads and many PDUs in one read
    const sevens: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 7) sevens.push(stream.subarray(i, i + 7));
    expect(framed(sevens).length).toBe(all.length);
  });
});

describe('golden bad input', () => {
  it.each(invalid.map((g) => [`${g.name} → ${g.error!.commandStatus}`, g] as const))('%s', (_n, g) => {
    const b = bytes(g);
    let err: unknown;
    try {
      decodePdu(b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SmppDecodeError);
    const e = err as SmppDecodeError;
    expect(e.commandStatus).toBe(CommandStatus[g.error!.commandStatus]);
    expect(e.fatal).toBe(g.error!.fatal);
    if (g.error!.field) expect(e.field).toBe(g.error!.field);
    expect(e.commandId).toBe(b.readUInt32BE(4));
    expect(e.sequenceNumber).toBe(b.readUInt32BE(12));
    if (!g.error!.fatal) {
      // a non-fatal error leaves framing intact: the framer delivers the frame, the decoder rejects it
      expect(framed([b]).length).toBe(1);
    }
  });
});
