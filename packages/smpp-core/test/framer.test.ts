import { describe, expect, it } from 'vitest';
import { CommandStatus, DEFAULT_MAX_COMMAND_LENGTH, PduFramer, SmppDecodeError } from '../src/index.js';

/** A hand-built PDU of `len` octets (header + zero body). */
function pdu(len: number, seq: number, id = 0x15): Buffer {
  const b = Buffer.alloc(len);
  b.writeUInt32BE(len, 0);
  b.writeUInt32BE(id, 4);
  b.writeUInt32BE(seq, 12);
  return b;
}

function collect(max?: number) {
  const frames: Buffer[] = [];
  const framer = new PduFramer((f) => frames.push(f), max === undefined ? {} : { maxCommandLength: max });
  return { frames, framer };
}

function framingError(fn: () => void): SmppDecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SmppDecodeError);
    return e as SmppDecodeError;
  }
  throw new Error('expected a framing error');
}

describe('PduFramer', () => {
  it('emits many PDUs of one read and PDUs split across reads', () => {
    const { frames, framer } = collect();
    const a = pdu(16, 1);
    const b = pdu(40, 2);
    const c = pdu(17, 3);
    const stream = Buffer.concat([a, b, c]);
    framer.push(stream.subarray(0, 20)); // a + 4 octets of b
    expect(frames.length).toBe(1);
    expect(framer.buffered).toBe(4);
    framer.push(stream.subarray(20, 58)); // rest of b + 2 octets of c
    framer.push(stream.subarray(58));
    expect(frames.map((f) => f.readUInt32BE(12))).toEqual([1, 2, 3]);
    expect(frames[1].equals(b)).toBe(true);
    expect(framer.buffered).toBe(0);
  });

  it('handles a length field split over several reads', () => {
    const { frames, framer } = collect();
    const p = pdu(30, 9);
    for (const part of [p.subarray(0, 1), p.subarray(1, 3), p.subarray(3, 5), p.subarray(5)]) framer.push(part);
    expect(frames.length).toBe(1);
    expect(frames[0].equals(p)).toBe(true);
  });

  it('gives each frame its own memory: later reads and reuse of the chunk do not change it', () => {
    const { frames, framer } = collect();
    const chunk = Buffer.concat([pdu(16, 1), pdu(16, 2)]);
    framer.push(chunk);
    chunk.fill(0xee);
    expect(frames[0].readUInt32BE(12)).toBe(1);
    expect(frames[1].readUInt32BE(12)).toBe(2);
    expect(frames[0].buffer === frames[1].buffer && frames[0].byteOffset === frames[1].byteOffset).toBe(false);
  });

  it('copies the frames of a large read in runs: a frame kept holds at most 8 KiB (or itself) of memory', () => {
    const { frames, framer } = collect();
    const big = pdu(10_000, 301);
    const chunk = Buffer.concat([...Array.from({ length: 300 }, (_, i) => pdu(90, i + 1)), big, pdu(16, 302)]);
    framer.push(chunk);
    chunk.fill(0xee);
    expect(frames.map((f) => f.readUInt32BE(12))).toEqual(Array.from({ length: 302 }, (_, i) => i + 1));
    for (const f of frames) {
      expect(f.readUInt32BE(0)).toBe(f.length);
      expect(f.buffer.byteLength).toBeLessThanOrEqual(Math.max(8192, f.length));
    }
    expect(frames[300]!.equals(big)).toBe(true);
  });

  it('stopped in the middle of a run, goes on from the next frame on drain()', () => {
    const seen: number[] = [];
    const framer = new PduFramer((f) => {
      seen.push(f.readUInt32BE(12));
      return seen.length !== 40;
    });
    framer.push(Buffer.concat(Array.from({ length: 100 }, (_, i) => pdu(50, i + 1))));
    expect(seen.length).toBe(40);
    expect(framer.held).toBe(true);
    framer.drain();
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('accepts exactly the maximum command_length and rejects one octet more as a fatal ESME_RINVCMDLEN', () => {
    const ok = collect(100);
    ok.framer.push(pdu(100, 1));
    expect(ok.frames.length).toBe(1);
    const bad = collect(100);
    const e = framingError(() => bad.framer.push(pdu(101, 7)));
    expect(e.commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
    expect(e.fatal).toBe(true);
    expect(e.sequenceNumber).toBe(7);
    expect(e.commandId).toBe(0x15);
    expect(bad.frames.length).toBe(0);
  });

  it('rejects a huge declared length as soon as its 4 octets arrive, without allocating it', () => {
    const { framer } = collect();
    framer.push(Buffer.from([0xff, 0xff]));
    const e = framingError(() => framer.push(Buffer.from([0xff, 0xf0])));
    expect(e.message).toMatch(/4294967280 exceeds the maximum of 65552/);
    expect(DEFAULT_MAX_COMMAND_LENGTH).toBe(65552);
    // the framer stays failed until reset()
    expect(() => framer.push(pdu(16, 1))).toThrow(SmppDecodeError);
    framer.reset();
    framer.push(pdu(16, 1));
  });

  it('rejects a command_length below 16', () => {
    const { framer, frames } = collect();
    framer.push(pdu(16, 1));
    const e = framingError(() => framer.push(Buffer.from([0, 0, 0, 8, 0, 0, 0, 0x15])));
    expect(e.fatal).toBe(true);
    expect(e.message).toMatch(/command_length 8 is below/);
    expect(frames.length).toBe(1);
  });

  it('rejects a bad maxCommandLength option', () => {
    expect(() => new PduFramer(() => {}, { maxCommandLength: 8 })).toThrow(RangeError);
  });
});

describe('PduFramer when the consumer throws', () => {
  it('keeps the octets after the frame and delivers them with the next push', () => {
    const seen: number[] = [];
    let throwOnce = true;
    const framer = new PduFramer((f) => {
      const seq = f.readUInt32BE(12);
      if (seq === 1 && throwOnce) {
        throwOnce = false;
        throw new Error('consumer failed');
      }
      seen.push(seq);
    });
    const stream = Buffer.concat([pdu(16, 1), pdu(16, 2), pdu(20, 3)]);
    expect(() => framer.push(stream.subarray(0, 40))).toThrow('consumer failed');
    expect(framer.buffered).toBe(24);
    framer.push(stream.subarray(40));
    expect(seen).toEqual([2, 3]);
    expect(framer.buffered).toBe(0);
  });
});
