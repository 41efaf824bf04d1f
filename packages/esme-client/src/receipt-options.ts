// The receipt matcher's options (receipt-matcher.ts), each with its default: how long messages and held receipts
// are remembered, how many receipts are held, and the link's receipt id form when it is known.
import type { Clock } from './rate-limiter.js';
import type { IdForm } from './receipt-index.js';

export interface ReceiptMatcherOptions {
  /** How long a submitted message is remembered for its receipts (default 1 h). */
  ttlMs?: number;
  /**
   * How long a message is remembered once every part has its receipt (default 10 s): a late waitFor() still gets
   * the result and a repeated receipt is recognised as a duplicate; then it is forgotten, so memory follows the
   * rate of receipts, not the length of the run. 0: forgotten at once (a repeated receipt is then unmatched).
   */
  completedTtlMs?: number;
  /** How long a receipt that cannot be paired (yet) is held before it is reported unmatched (default 60 s). */
  earlyTtlMs?: number;
  /**
   * How long a held receipt waits before the coarse sweep looks at it again as a whole (default 500 ms): by then a
   * submit response racing it on another bind has arrived. While the form is not known, a receipt whose id names
   * its submit in some forms only waits until every submit begun before it arrived has its response (or failed),
   * and at most this long, before it is paired.
   */
  graceMs?: number;
  /** At most this many receipts are held; beyond, the oldest is reported unmatched ('overflow'). Default 100 000. */
  maxHeld?: number;
  /** The link's id form when known; default 'auto': learned from unambiguous pairs. */
  idForm?: IdForm | 'auto';
  clock?: Clock;
}
