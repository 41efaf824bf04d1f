// A deliver_sm / data_sm → the PartReceipt the matcher needs, or null when it is not a receipt.
// Parsing (text dialects and TLVs) is @smppkit/core's receiptFromPdu (or, lazily, lazyReceiptFromPdu: the text read
// only when one of its fields is); this maps its result to the client's shape.
import { lazyReceiptFromPdu, type Pdu, type PduOf, receiptFromPdu } from '@smppkit/core';
import type { PartReceipt } from './receipt-types.js';

/**
 * null: not a receipt (a mobile-originated message). 'no-id': a receipt without any id. `lazy`: the text's fields
 * other than id and stat are getters, read from the text when first asked for (the client's lazyReceipts).
 */
export function readReceipt(pdu: Pdu, receivedAt: number, lazy = false): PartReceipt | 'no-id' | null {
  const p = pdu as PduOf<'deliver_sm'> | PduOf<'data_sm'>;
  const r = lazy ? lazyReceiptFromPdu(p) : receiptFromPdu(p);
  if (!r) return null;
  if (typeof r.id !== 'string' || r.id === '') return 'no-id';
  // the parsed object is fresh: it becomes the PartReceipt as it is (no copy on the hot path)
  const receipt = r as unknown as PartReceipt;
  const stat = r.stat;
  receipt.stat = stat === undefined ? 'UNKNOWN' : statName(stat);
  // a receipt comes from the destination it reports on (submit_multi: one receipt per destination)
  const source = (pdu as { source_addr?: string }).source_addr;
  if (source) receipt.destination = source;
  receipt.receivedAt = receivedAt;
  return receipt;
}

/** The stats receipts carry (SMPP 3.4 appendix B), as constants: a receipt's stat is one of these strings. */
const STATS = ['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'ENROUTE'];

/**
 * A receipt's stat in upper case; a known one as the constant string, not the receipt's own copy: counting it, or
 * looking it up in a Set, then reuses the constant's hash instead of hashing a new string for each receipt.
 */
export function statName(stat: string): string {
  if (stat.length === 7) for (const k of STATS) if (stat === k) return k;
  return upperCase(stat);
}

/** s in upper case; s itself when it has no lower-case letter (the common DELIVRD: no conversion, no copy). */
export function upperCase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || c > 0x7f) return s.toUpperCase();
  }
  return s;
}
