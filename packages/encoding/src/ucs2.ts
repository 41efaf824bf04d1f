/**
 * UCS-2 as SMPP carries it: 16-bit big-endian code units, in practice UTF-16BE (surrogate pairs for
 * characters outside the BMP, e.g. emoji). Node's 'ucs2'/'utf16le' encodings are little-endian and must never
 * be put on the wire; these functions swap explicitly.
 */

export function encodeUtf16be(text: string): Buffer {
  const n = text.length;
  const out = Buffer.allocUnsafe(n * 2);
  for (let i = 0, o = 0; i < n; i++, o += 2) {
    const c = text.charCodeAt(i);
    out[o] = c >> 8;
    out[o + 1] = c & 0xff;
  }
  return out;
}

/** An odd trailing octet decodes to U+FFFD; unpaired surrogates are kept as they are. */
export function decodeUtf16be(bytes: Uint8Array): string {
  const even = bytes.length & ~1;
  let out: string;
  if (even >= 64) {
    const le = Buffer.from(bytes.buffer, bytes.byteOffset, even);
    const copy = Buffer.allocUnsafe(even);
    le.copy(copy);
    out = copy.swap16().toString('utf16le');
  } else {
    out = '';
    for (let i = 0; i < even; i += 2) out += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
  }
  return even === bytes.length ? out : out + '\uFFFD';
}

export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
