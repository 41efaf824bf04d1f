// The events a Client emits (client.ts), apart so the parts that emit them (inbound.ts) need not import the client;
// and the two ways both sides emit: a completed receipt out as 'receipt', an error out as 'error' or into the log.
import type { EventEmitter } from 'node:events';
import type { Logger, Pdu } from '@smppkit/core';
import type { DuplicatePart } from '@smppkit/encoding';
import type { MoMessage } from './mo.js';
import type { LogicalReceipt, MatchOutcome, PartReceipt, UnmatchedReason } from './receipt-matcher.js';
import type { LinkState } from './reconnect.js';

export interface ClientEvents {
  state: [link: string, state: LinkState, prev: LinkState];
  bound: [link: string];
  disconnected: [link: string, reason: string];
  reconnecting: [link: string, delayMs: number, attempt: number];
  throttled: [status: number, delayMs: number];
  /** One logical result per submitted message, once every part has a final receipt. */
  receipt: [receipt: LogicalReceipt];
  /** Each part's receipt as it comes (also intermediate ones). */
  partReceipt: [receipt: PartReceipt, matched: boolean];
  /**
   * A receipt no submit could be paired with within receiptEarlyTtlMs: 'unknown' (no submit has its id),
   * 'ambiguous' (its id names several submits in different forms and the link's form was not learned), 'overflow'
   * (more receipts held than the matcher keeps). Never paired by guess, never dropped silently.
   */
  unmatchedReceipt: [receipt: PartReceipt, reason: UnmatchedReason];
  message: [message: MoMessage];
  /** A part of a concatenated MO received again (also after its message was delivered) and ignored. */
  duplicatePart: [part: DuplicatePart, pdu: Pdu];
  alert: [pdu: Pdu];
  error: [err: Error];
}

/** What emits the client's events: the client itself, as its parts see it. */
export type ClientEventHost = Pick<EventEmitter<ClientEvents>, 'emit' | 'listenerCount'> & { readonly logger: Logger };

/** The completed messages among the matcher's outcomes, out as 'receipt'. */
export function emitReceipts(host: ClientEventHost, outcomes: MatchOutcome[]): void {
  for (const o of outcomes) if (o.kind === 'complete') host.emit('receipt', o.result);
}

/** 'error' when someone listens; otherwise a warning in the log (an unhandled 'error' event would crash). */
export function reportError(host: ClientEventHost, err: Error): void {
  if (host.listenerCount('error') > 0) host.emit('error', err);
  else host.logger.warn({ err: err.message }, 'esme-client error');
}
