// Fault injection: what to do with one response, decided from the active fault settings and the seeded generator.
import type { FaultConfig } from '../config/types.js';

export type ResponseFault =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'status'; status: number }
  | { kind: 'generic_nack' }
  | { kind: 'malformed' };

const NONE: ResponseFault = { kind: 'none' };

export function hasFaults(f: FaultConfig | undefined): f is FaultConfig {
  return f !== undefined && Object.keys(f).length > 0;
}

/** One roll per configured fault, in a fixed order, so a seed gives the same sequence of faults. */
export function responseFault(f: FaultConfig, rnd: () => number, defaultErrorStatus: number): ResponseFault {
  if (f.dropFraction && rnd() < f.dropFraction) return { kind: 'drop' };
  if (f.genericNackFraction && rnd() < f.genericNackFraction) return { kind: 'generic_nack' };
  if (f.malformedFraction && rnd() < f.malformedFraction) return { kind: 'malformed' };
  if (f.errorFraction && rnd() < f.errorFraction)
    return { kind: 'status', status: f.errorStatus ?? defaultErrorStatus };
  if (f.delayFraction && rnd() < f.delayFraction) return { kind: 'delay', ms: f.delayMs ?? 1000 };
  return NONE;
}

/**
 * A response PDU the peer cannot decode: the right command_id and sequence_number, an empty message_id, then three
 * stray octets where a TLV would start (a broken TLV stream, ESME_RINVTLVSTREAM).
 */
export function malformedResponse(commandId: number, sequenceNumber: number): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32BE(20, 0);
  b.writeUInt32BE((commandId | 0x80000000) >>> 0, 4);
  b.writeUInt32BE(0, 8);
  b.writeUInt32BE(sequenceNumber, 12);
  b[16] = 0;
  b.write('BAD', 17, 'latin1');
  return b;
}
