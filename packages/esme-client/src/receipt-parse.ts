// A deliver_sm / data_sm → the PartReceipt the matcher needs, or null when it is not a receipt.
// Parsing (text dialects and TLVs) is @smppkit/core's receiptFromPdu; this maps its result to the client's shape.
import { receiptFromPdu, type Pdu, type PduOf } from '@smppkit/core';
import type { PartReceipt } from './receipt-matcher.js';

/** null: not a receipt (a mobile-originated message). `{ receipt: undefined }`: a receipt without any id. */
export function readReceipt(pdu: Pdu): { receipt: PartReceipt | undefined } | null {
  const r = receiptFromPdu(pdu as PduOf<'deliver_sm'> | PduOf<'data_sm'>);
  if (!r) return null;
  if (typeof r.id !== 'string' || r.id === '') return { receipt: undefined };
  // the parsed object is fresh: it becomes the PartReceipt as it is (no copy on the hot path)
  const receipt = r as unknown as PartReceipt;
  const stat = r.stat;
  receipt.stat = stat === undefined ? 'UNKNOWN' : stat.toUpperCase();
  return { receipt };
}
