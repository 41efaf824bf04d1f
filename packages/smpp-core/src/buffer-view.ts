// Buffers over octets already in memory (a frame of the chunk read, a field of a frame), made as Node makes its
// own (a Uint8Array whose prototype chain holds Buffer.prototype), not with Buffer.prototype.subarray: that reads
// the view's `buffer`, a getter V8's optimizing compiler does not inline (a call into its runtime, several times
// what making the view costs). The framer hands each frame's ArrayBuffer over with the frame (frameView), so the
// decoder's views of that frame read no getter either.
import { Buffer } from 'node:buffer';

class BufferView extends Uint8Array {}
Object.setPrototypeOf(BufferView.prototype, Buffer.prototype);
// as for Node's own Buffers, `constructor` is Buffer (checks that compare constructors see a Buffer)
Object.defineProperty(BufferView.prototype, 'constructor', { value: Buffer, writable: true, configurable: true });

/** `length` octets of `ab` from `offset`, as a Buffer (no copy). */
export function bufferView(ab: ArrayBufferLike, offset: number, length: number): Buffer {
  return new BufferView(ab as ArrayBuffer, offset, length) as unknown as Buffer;
}

/** The last frame cut (frameView) and its ArrayBuffer. */
let lastFrame: Buffer | null = null;
let lastFrameBuffer: ArrayBufferLike | null = null;

/** A frame: `frame`, whose memory is `ab`'s, remembered with it for the decoder (arrayBufferOf). */
export function frameView(frame: Buffer, ab: ArrayBufferLike): Buffer {
  lastFrame = frame;
  lastFrameBuffer = ab;
  return frame;
}

/** b.buffer, without the getter when b is the last frame cut. */
export function arrayBufferOf(b: Buffer): ArrayBufferLike {
  return b === lastFrame ? lastFrameBuffer! : b.buffer;
}

/** b[o..o+len) as a Buffer (no copy). */
export function viewOf(b: Buffer, o: number, len: number): Buffer {
  return new BufferView(arrayBufferOf(b) as ArrayBuffer, b.byteOffset + o, len) as unknown as Buffer;
}
