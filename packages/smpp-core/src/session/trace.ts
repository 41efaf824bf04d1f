// Calling the application's trace hook: a hook that throws (a tool's bug) is logged, never allowed to break the
// session; an outgoing PDU is shown as it went on the wire, defaults and dropped error-response bodies included.

import type { Pdu } from '../commands.js';
import { decodePdu } from '../pdu-codec.js';
import type { TraceHook } from './api.js';
import type { Logger } from './logger.js';

export function callTrace(hook: TraceHook, log: Logger, dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer): void {
  try {
    hook(dir, pdu, bytes);
  } catch (err) {
    log.warn({ err: (err as Error)?.message }, 'trace hook threw');
  }
}

/** Trace bytes about to be written: decoded again, so the trace shows the wire (null when they do not decode). */
export function traceOut(hook: TraceHook, log: Logger, bytes: Buffer): void {
  let wire: Pdu | null = null;
  try {
    wire = decodePdu(bytes);
  } catch {
    // cannot happen for bytes our encoder wrote; raw bytes (sendRaw) may be anything
  }
  callTrace(hook, log, 'out', wire, bytes);
}
