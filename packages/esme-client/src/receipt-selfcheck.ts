// The matcher's check on itself: pairs made while the link's id form was not known yet (only unambiguous ones are
// made, receipt-matcher.ts) are remembered, bounded, and once the form is learned checked against it; each pair the
// learned form contradicts is counted as mis-paired (counters.mispaired), so a wrong pairing is never silent. Not
// used when the form is configured; the hot path after learning pays one undefined check.
import { receiptIdInForm } from '@smppkit/core';
import type { IdForm, Ref } from './receipt-index.js';

/** At most this many pairs are remembered for the check (the form is learned after a handful). */
const MAX_UNVERIFIED = 100_000;

/** A pair made before the form was known: the part, and the receipt id (normalised) that named it. */
interface Unverified {
  ref: Ref;
  key: string;
}

export class UnverifiedPairs {
  private readonly pairs: Unverified[] = [];

  add(ref: Ref, key: string): void {
    if (this.pairs.length < MAX_UNVERIFIED) this.pairs.push({ ref, key });
  }

  /** How many of the pairs `form` contradicts: the part's submit id in that form is not the receipt's id. */
  contradicted(form: IdForm): number {
    let n = 0;
    for (const u of this.pairs) if (receiptIdInForm(u.ref.entry.messageIds[u.ref.part]!, form) !== u.key) n++;
    return n;
  }
}
