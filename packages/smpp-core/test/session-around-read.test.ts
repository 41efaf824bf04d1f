// aroundRead: a session tells start() before the PDUs of each socket read and end() after the last of them.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeWithHeader } from '../src/index.js';
import { boundPair, type SessionPair, submit, until } from './session-helpers.js';

/** a submit_sm with sequence number n, as the peer's socket writes it */
const wire = (n: number) => encodeWithHeader('submit_sm', submit(), 0, n);

let pair: SessionPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('aroundRead', () => {
  it('brackets the requests of each read: start, the requests in order, end', async () => {
    const seen: string[] = [];
    pair = await boundPair({}, { aroundRead: { start: () => seen.push('start'), end: () => seen.push('end') } });
    pair.mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') {
        seen.push(`request ${pdu.sequence_number}`);
        pair!.mc.respond(pdu, { message_id: String(pdu.sequence_number) });
      }
    });
    seen.length = 0;
    // three submit_sm in one write of the raw socket: one read
    const bytes = Buffer.concat([10, 11, 12].map((n) => wire(n)));
    pair.sockets.client.write(bytes);
    await until(() => seen.length >= 5, 5000, 'the read');
    expect(seen).toEqual(['start', 'request 10', 'request 11', 'request 12', 'end']);
  });

  it('ends a read whose listener threw, after the rest of the read; what end() throws is reported', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    let failEnd = false;
    pair = await boundPair(
      {},
      {
        aroundRead: {
          start: () => seen.push('start'),
          end: () => {
            seen.push('end');
            if (failEnd) throw new Error('end failed');
          },
        },
      },
    );
    pair.mc.on('error', (e: Error) => errors.push(e.message));
    pair.mc.on('request', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      seen.push(`request ${pdu.sequence_number}`);
      if (pdu.sequence_number === 20) throw new Error('listener failed');
    });
    seen.length = 0;
    pair.sockets.client.write(Buffer.concat([20, 21].map((n) => wire(n))));
    await until(() => seen.includes('end'), 5000, 'the first read');
    expect(seen).toEqual(['start', 'request 20', 'request 21', 'end']);
    failEnd = true;
    pair.sockets.client.write(wire(22));
    await until(() => errors.includes('end failed'), 5000, 'the second read');
    expect(errors).toEqual(['listener failed', 'end failed']);
  });
});
