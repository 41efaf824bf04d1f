// Message ids as an account sees them: the store's numeric id written in decimal or lower-case hex, and back.

export type IdFormat = 'decimal' | 'hex';

export function formatMessageId(id: number, format: IdFormat): string {
  return format === 'hex' ? id.toString(16) : String(id);
}

/** The numeric id for a message_id an ESME sent, or null when it is not a valid id in that format. */
export function parseMessageId(text: string, format: IdFormat): number | null {
  if (format === 'hex' ? !/^[0-9a-fA-F]{1,13}$/.test(text) : !/^[0-9]{1,15}$/.test(text)) return null;
  const n = format === 'hex' ? parseInt(text, 16) : Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Is `mid` formatMessageId(id, 'hex')? (Compared digit by digit: no string made.) */
export function isHexFormOf(mid: string, id: number): boolean {
  // no leading zero (nor an empty string): an id is positive
  if (id <= 0 || mid.length === 0 || mid.charCodeAt(0) === 48) return false;
  let n = id;
  for (let i = mid.length - 1; i >= 0; i--) {
    const d = n % 16;
    if (mid.charCodeAt(i) !== (d < 10 ? 48 + d : 87 + d)) return false;
    n = (n - d) / 16;
  }
  return n === 0;
}
