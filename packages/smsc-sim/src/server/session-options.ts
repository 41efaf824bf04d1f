// The options of the core Session each ESME connection runs on.
import type { Pdu, ReadHooks, SessionOptions, TurnBudget } from '@smppkit/core';
import type { SimConfig } from '../config/types.js';
import { decodedJson } from '../util/decoded-json.js';
import type { ConnectionLogger } from './conn-log.js';
import { readClock } from './read-clock.js';

/** What a session tells the store around each of its reads (a lone submit's read commits at its end). */
export interface ReadCommits {
  readStart(reader: unknown): void;
  readEnd(): void;
}

export function sessionOptions(
  config: Pick<SimConfig, 'deliveryWindow' | 'deliveryRetryMs' | 'idleTimeoutMs' | 'limits'>,
  log: ConnectionLogger,
  turnBudget?: TurnBudget,
  store?: ReadCommits,
): SessionOptions {
  const opts: SessionOptions = {
    role: 'mc',
    // deliver_sm of the delivery window, and room for an unbind or enquire_link beside them
    windowSize: config.deliveryWindow + 2,
    // answers come from the store's commit (a setImmediate callback, or the end of their read): write them in the
    // same loop iteration
    writeTiming: 'callback',
    responseTimeoutMs: config.deliveryRetryMs,
    enquireLinkIntervalMs: 0,
    inactivityTimeoutMs: config.idleTimeoutMs,
    // a peer that does not read costs at most this much (then we stop reading it until it does)
    maxPendingWriteBytes: config.limits.maxPendingWriteBytes,
    maxPendingWriteBytesUnbound: config.limits.unboundPendingWriteBytes,
    // PDUs of sessions not bound: a small share of each turn, shared by all of them
    unboundTurnBudget: turnBudget,
    logger: log,
    // with receipts a message is two PDUs written (submit_sm_resp, deliver_sm): 128 a write, not core's 32, cuts the
    // writes (and the peer's wakeups they cost) 3x; window 100 with receipts: system CPU 4.1 -> 2.9 µs a message
    maxPdusPerWrite: 128,
  };
  if (store) {
    const reads: ReadHooks = {
      start: () => {
        store.readStart(reads);
        readClock.readStarted(); // last: a start that throws gets no end (core's reader), so sets no time
      },
      end: () => {
        try {
          store.readEnd();
        } finally {
          readClock.readEnded();
        }
      },
    };
    opts.aroundRead = reads;
  }
  // the per-session PDU trace, at debug level only (a trace hook costs a decode per PDU written)
  if (log.isLevelEnabled('debug')) {
    opts.trace = (dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer) =>
      log.debug(
        { dir, command: pdu?.command ?? null, pdu: pdu ? decodedJson(bytes) : undefined, hex: bytes.toString('hex') },
        'pdu',
      );
  }
  return opts;
}
