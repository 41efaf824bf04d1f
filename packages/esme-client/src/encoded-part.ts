// The octets of a prepared one-part submit, encoded once at prepare (issue 16): each send then copies them and the
// session writes its sequence_number over the copy (Session.requestEncodedWith), instead of encoding the same
// fields again. Kept by the part object itself, so a PDU built per message (another destination, a per-message
// field) has none and takes the normal path. The part is frozen once encoded: a change after prepare would be sent
// as the old octets, so it throws instead (ESM code is strict).
import { encodeWithHeader, type RequestInput } from '@smppkit/core';

const encoded = new WeakMap<RequestInput, Buffer>();

/**
 * Encode `part` (sequence_number 0) and keep the octets for sendPrepared. A part the codec refuses (a field
 * beyond a spec limit) keeps none: its send takes the normal path, which reports the same SmppEncodeError.
 */
export function rememberEncoded(part: RequestInput): void {
  try {
    encoded.set(part, encodeWithHeader(part.command, part, 0, 0));
    Object.freeze(part);
  } catch {
    // reported when it is sent (the normal path encodes it again and fails the submit with the error)
  }
}

/** The octets kept for `part` at prepare, or undefined (then it is encoded at each send). Not to be written to. */
export function encodedOf(part: RequestInput): Buffer | undefined {
  return encoded.get(part);
}

/** A copy of `template` to hand to the session (which writes the sequence number into it and keeps it until written). */
export function copyOf(template: Buffer): Buffer {
  const bytes = Buffer.allocUnsafe(template.length);
  template.copy(bytes, 0);
  return bytes;
}
