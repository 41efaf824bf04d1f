// A PDU decoded for display (the debug trace, the admin API): octet strings as hex; null when it does not decode.
import { decodePdu } from '@smppkit/core';

export function decodedJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(
      JSON.stringify(decodePdu(bytes), (_k, v) =>
        v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('hex') : v,
      ),
    );
  } catch {
    return null;
  }
}
