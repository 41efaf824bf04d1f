/**
 * Packing GSM septets into octets (3GPP TS 23.038 §6.1.2.1.1): septets are laid out least significant bit
 * first. When the text follows a UDH, `fillBits` zero bits come first so that the first septet starts on a
 * septet boundary counted from the start of TP-UD.
 */

const CR = 0x0d;

/** Fill bits between a UDH of `udhLength` octets (UDHL included) and packed 7-bit text: (7 − 8U mod 7) mod 7. */
export function fillBitsForUdh(udhLength: number): number {
  return (7 - ((udhLength * 8) % 7)) % 7;
}

/**
 * Septets → packed octets after `fillBits` zero bits. When 7 bits would be left over at the end, they are
 * filled with CR rather than zeros (which a handset would show as '@'); when the text itself ends with CR on
 * an octet boundary another CR is added (23.038 §6.1.2.3.1), so a receiver may strip a final CR that ends on
 * an octet boundary.
 */
export function packSeptets(septets: Uint8Array, fillBits = 0): Buffer {
  const n = septets.length;
  let totalBits = fillBits + 7 * n;
  let extra = 0;
  if (n > 0 && totalBits % 8 === 1)
    extra = 1; // 7 spare bits → CR
  else if (n > 0 && totalBits % 8 === 0 && septets[n - 1] === CR) extra = 1; // wanted CR on a boundary → CR CR
  totalBits += 7 * extra;
  const out = Buffer.alloc((totalBits + 7) >> 3);
  let acc = 0;
  let accBits = fillBits;
  let o = 0;
  for (let i = 0; i < n + extra; i++) {
    const s = i < n ? septets[i] & 0x7f : CR;
    acc |= s << accBits;
    accBits += 7;
    if (accBits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      accBits -= 8;
    }
  }
  if (accBits > 0) out[o] = acc & 0xff;
  return out;
}

/**
 * The number of octets packSeptets produces for `septetCount` septets, `endsWithCr` telling whether the last
 * one is CR (a wanted CR on an octet boundary costs one more septet).
 */
export function packedLength(septetCount: number, fillBits = 0, endsWithCr = false): number {
  let bits = fillBits + 7 * septetCount;
  if (septetCount > 0 && (bits % 8 === 1 || (bits % 8 === 0 && endsWithCr))) bits += 7;
  return (bits + 7) >> 3;
}

/**
 * Packed octets → septets. Without `septetCount` every whole septet is returned, except that a final CR
 * ending exactly on an octet boundary is dropped as padding (see packSeptets).
 */
export function unpackSeptets(bytes: Uint8Array, fillBits = 0, septetCount?: number): Uint8Array {
  const availableBits = bytes.length * 8 - fillBits;
  let count = septetCount ?? Math.max(0, Math.floor(availableBits / 7));
  if (count * 7 > availableBits) count = Math.max(0, Math.floor(availableBits / 7));
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = fillBits + 7 * i;
    const byte = bit >> 3;
    const shift = bit & 7;
    let v = bytes[byte] >> shift;
    if (shift > 1) v |= bytes[byte + 1] << (8 - shift);
    out[i] = v & 0x7f;
  }
  if (septetCount === undefined && count > 0 && availableBits % 7 === 0 && out[count - 1] === CR) {
    return out.subarray(0, count - 1);
  }
  return out;
}
