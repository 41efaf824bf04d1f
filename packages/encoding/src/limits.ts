/**
 * Per-part payload limits: TP-UD holds 140 octets, of which the UDH (UDHL included) takes U.
 * GSM septets = ⌊(1120 − 8U) / 7⌋ (the fill bits are the remainder), UCS-2 units = ⌊(140 − U) / 2⌋,
 * octets = 140 − U. Everything else (160/153/152, 70/67/66, 140/134/133) follows from these.
 */
import type { Alphabet } from './data-coding.js';

export const TP_UD_OCTETS = 140;

export type UnitKind = 'septet' | 'utf16' | 'octet';

export function unitKindOf(alphabet: Alphabet): UnitKind {
  return alphabet === 'gsm7' ? 'septet' : alphabet === 'ucs2' ? 'utf16' : 'octet';
}

/** Units of text that fit in one TP-UD after a UDH of `udhLength` octets (0 = no UDH). */
export function unitsPerPart(kind: UnitKind, udhLength: number): number {
  const octets = TP_UD_OCTETS - udhLength;
  if (kind === 'septet') return Math.floor((TP_UD_OCTETS * 8 - udhLength * 8) / 7);
  if (kind === 'utf16') return Math.floor(octets / 2);
  return octets;
}
