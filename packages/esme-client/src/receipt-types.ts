// The shapes the receipt matcher reports (receipt-matcher.ts), apart so its parts can share them.

/** One receipt for one submitted part, as the client reports it. */
export interface PartReceipt {
  /** The id as written in the receipt. */
  id: string;
  /** Receipt stat text: DELIVRD, UNDELIV, … (the message_state TLV's when present). */
  stat: string;
  err?: string;
  submitDate?: Date | string;
  doneDate?: Date | string;
  /** The destination the receipt reports on (the receipt's source_addr), when the PDU gave one. */
  destination?: string;
  /** When it arrived (clock ms): latency is measured to here, not to when it was paired. */
  receivedAt?: number;
  /** Set on a receipt reported as unmatched: why nothing was paired with it. */
  unmatchedReason?: UnmatchedReason;
  /** Any further fields the parser gave (text, sub, dlvrd, network_error_code, …). */
  [key: string]: unknown;
}

/**
 * Why a receipt was reported unmatched: 'unknown' no tracked submit has its id; 'ambiguous' its id names
 * several submits in different forms and the link's form was not learned in time; 'overflow' more receipts were
 * held than maxHeld (the oldest is reported).
 */
export type UnmatchedReason = 'unknown' | 'ambiguous' | 'overflow';

/** The outcome for one destination of a submit_multi. */
export interface DestinationOutcome {
  destination: string;
  stat: string;
  delivered: boolean;
  parts: PartReceipt[];
}

/** The result for one submitted (possibly long) message, once every part has a final receipt. */
export interface LogicalReceipt {
  messageIds: string[];
  /** DELIVRD when every part was delivered, otherwise the stat of the first part that was not. */
  stat: string;
  delivered: boolean;
  /** Every final receipt, in part order (for a submit_multi: part by part, destination by destination). */
  parts: PartReceipt[];
  /** submit_multi: each destination's outcome. */
  destinations?: DestinationOutcome[];
  /** Submit time (clock ms) and submit → arrival of the last receipt. */
  submittedAt: number;
  latencyMs: number;
  /** Whatever the submitter attached (destination, reference, …). */
  meta?: unknown;
}

export type MatchOutcome =
  | { kind: 'complete'; result: LogicalReceipt; part: PartReceipt }
  | { kind: 'part'; part: PartReceipt; messageIds: string[]; remaining: number }
  | { kind: 'duplicate'; part: PartReceipt; messageIds: string[] }
  | { kind: 'intermediate'; part: PartReceipt; messageIds: string[] }
  /** Held: no submit named by it yet, or several (the link's id form not known yet). */
  | { kind: 'unmatched'; part: PartReceipt };

export class ReceiptTimeoutError extends Error {
  readonly code = 'RECEIPT_TIMEOUT';
  constructor(
    readonly messageId: string,
    timeoutMs: number,
  ) {
    super(`no receipt for message ${messageId} within ${timeoutMs} ms`);
    this.name = 'ReceiptTimeoutError';
  }
}
