// Receipt id forms: a receipt names its message by the id submit_sm_resp gave, but not always written the same way.
// The forms, here and nowhere else:
//   'same'          as given (case, surrounding spaces and zero padding never matter)
//   'hexToDecimal'  a hex id written in decimal (Kannel's msg-id-type, several carriers)
//   'decimalToHex'  a decimal id written in hex ("the DLR id is hex")
// Used by formatReceipt (dialect.id) and by whoever matches a receipt to its submit_sm_resp.

export type ReceiptIdForm = 'same' | 'hexToDecimal' | 'decimalToHex';
export const RECEIPT_ID_FORMS: readonly ReceiptIdForm[] = ['same', 'hexToDecimal', 'decimalToHex'];

/** An id with case, surrounding whitespace and zero padding removed: two ids written alike compare equal. */
export function normalizeReceiptId(id: string): string {
  let s = id;
  const n = s.length;
  if (n === 0) return s;
  if (s.charCodeAt(0) <= 0x20 || s.charCodeAt(n - 1) <= 0x20) s = s.trim();
  // lower case only when there is an upper-case letter (the common all-digit or lower-case id is not copied)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      s = s.toLowerCase();
      break;
    }
  }
  if (s.charCodeAt(0) === 0x30 && s.length > 1) {
    let i = 0;
    while (i < s.length - 1 && s.charCodeAt(i) === 0x30) i++;
    s = s.slice(i);
  }
  return s;
}

/** 0: not hex; 1: hex digits only (0-9, a-f, A-F) with at least one letter; 2: decimal digits only. */
function digitKind(s: string): 0 | 1 | 2 {
  if (s.length === 0) return 0;
  let letters = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    const l = c | 0x20;
    if (l >= 0x61 && l <= 0x66) letters = true;
    else return 0;
  }
  return letters ? 1 : 2;
}

/**
 * The submit id `id` as a receipt writes it in `form`, normalised (normalizeReceiptId), or undefined when the id
 * cannot be written so (hexToDecimal of a non-hex id, decimalToHex of a non-decimal one, or longer than 128 bits).
 */
export function receiptIdInForm(id: string, form: ReceiptIdForm): string | undefined {
  const n = normalizeReceiptId(id);
  if (form === 'same') return n;
  const kind = digitKind(n);
  if (form === 'hexToDecimal') {
    if (kind === 0 || n.length > 32) return undefined;
    return n.length <= 13 ? parseInt(n, 16).toString(10) : BigInt(`0x${n}`).toString(10);
  }
  if (kind !== 2 || n.length > 39) return undefined;
  return n.length <= 15 ? Number(n).toString(16) : BigInt(n).toString(16);
}

/** The forms in which receipt id `receiptId` names submit id `submitId` (empty: none). */
export function receiptIdFormsNaming(receiptId: string, submitId: string): ReceiptIdForm[] {
  const r = normalizeReceiptId(receiptId);
  return RECEIPT_ID_FORMS.filter((f) => receiptIdInForm(submitId, f) === r);
}

/**
 * The forms one message id may take on the other side, for matching a receipt to its submit_sm_resp:
 * as given, lower/upper case, without leading zeros, hex read as decimal, decimal written as hex.
 * Two ids denote the same message when their candidate lists intersect (see receiptIdsMatch).
 */
export function receiptIdCandidates(id: string): string[] {
  const s = id.trim();
  const out = new Set<string>([s]);
  const add = (v: string) => {
    out.add(v);
    out.add(v.replace(/^0+(?=.)/, ''));
  };
  add(s);
  add(s.toLowerCase());
  add(s.toUpperCase());
  for (const form of RECEIPT_ID_FORMS) {
    const v = receiptIdInForm(s, form);
    if (v === undefined || form === 'same') continue;
    add(v);
    add(v.toUpperCase());
  }
  return [...out];
}

/** Whether two message ids denote the same message in some form (either way round). */
export function receiptIdsMatch(a: string, b: string): boolean {
  return receiptIdFormsNaming(a, b).length > 0 || receiptIdFormsNaming(b, a).length > 0;
}
