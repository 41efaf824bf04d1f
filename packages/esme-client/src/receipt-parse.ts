// A receipt deliver_sm / data_sm → the PartReceipt the matcher needs. Parsing (text dialects and TLVs) is
// @smppkit/core's receiptFromPdu; this only maps its result to the client's shape.
import { receiptFromPdu, type Pdu } from '@smppkit/core';
import type { PartReceipt } from './receipt-matcher.js';

export function receiptOf(pdu: Pdu): PartReceipt | undefined {
  const r = receiptFromPdu(pdu as never) as unknown as Record<string, unknown> | undefined | null;
  if (!r) return undefined;
  const id = (r.id ?? r.messageId ?? r.receipted_message_id) as string | undefined;
  if (typeof id !== 'string' || id === '') return undefined;
  const stat = String(r.stat ?? 'UNKNOWN').toUpperCase();
  return { ...r, id, stat } as PartReceipt;
}
