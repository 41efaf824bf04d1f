// The frames the framer cuts and the Buffers the decoder gives (short_message, octet TLVs) are views made without
// Buffer.prototype.subarray (buffer-view.ts): they must be Buffers in every way a caller can tell.
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu, type Pdu, PduFramer } from '../src/index.js';

const submit = (seq: number, text: string) =>
  encodePdu({
    command: 'submit_sm',
    command_status: 0,
    sequence_number: seq,
    source_addr: 'LOADTEST',
    destination_addr: '4790000001',
    short_message: Buffer.from(text, 'latin1'),
    tlvs: { source_subaddress: Buffer.from([0xa0, 2, 3]) },
  } as Pdu); // the other fields take the encoder's defaults

describe('views of frames', () => {
  it('are Buffers: isBuffer, instanceof, constructor, methods, equality with Buffer.from', () => {
    const frames: Buffer[] = [];
    const framer = new PduFramer((f) => frames.push(f));
    framer.push(Buffer.concat([submit(1, 'one'), submit(2, 'two'), submit(3, 'three')]));
    expect(frames).toHaveLength(3);
    for (const f of frames) {
      expect(Buffer.isBuffer(f)).toBe(true);
      expect(f).toBeInstanceOf(Buffer);
      expect(f.constructor).toBe(Buffer);
      expect(f.readUInt32BE(0)).toBe(f.length);
    }
    const p = decodePdu(frames[1]!) as { short_message: Buffer; tlvs: { source_subaddress: Buffer } };
    expect(Buffer.isBuffer(p.short_message)).toBe(true);
    expect(p.short_message.toString('latin1')).toBe('two');
    expect(p.short_message).toEqual(Buffer.from('two'));
    expect(p.short_message).toStrictEqual(Buffer.from('two'));
    expect(p.short_message.equals(Buffer.from('two'))).toBe(true);
    expect(p.tlvs.source_subaddress).toEqual(Buffer.from([0xa0, 2, 3]));
    expect(p.short_message.subarray(1).toString()).toBe('wo');
    // views, not copies: the octets are the frame's
    expect(p.short_message.buffer).toBe(frames[1]!.buffer);
    const at = frames[1]!.indexOf('two');
    frames[1]![at] = 0x54;
    expect(p.short_message.toString()).toBe('Two');
  });

  it('decode the same from a frame that is not the last one cut (held, then decoded)', () => {
    const frames: Buffer[] = [];
    const framer = new PduFramer((f) => frames.push(f));
    framer.push(Buffer.concat([submit(1, 'first'), submit(2, 'second')]));
    const first = decodePdu(frames[0]!) as { short_message: Buffer; sequence_number: number };
    expect(first.sequence_number).toBe(1);
    expect(first.short_message.toString()).toBe('first');
    expect(first.short_message.buffer).toBe(frames[0]!.buffer);
  });
});
