// A raw SMPP peer connecting from a chosen loopback address (127.0.0.2, …: another "source" on one machine): writes
// bytes as given, decodes what comes back, and says when its connection closed.
import net from 'node:net';
import { decodePdu, type Pdu, PduFramer } from '@smppkit/core';

export interface PeerAt {
  socket: net.Socket;
  /** PDUs received, in order */
  pdus: Pdu[];
  closed: Promise<void>;
  isClosed(): boolean;
  /** resolves with the n-th PDU received (1-based), waiting at most timeoutMs */
  nth(n: number, timeoutMs?: number): Promise<Pdu>;
}

export function peerAt(port: number, localAddress = '127.0.0.1'): Promise<PeerAt> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const pdus: Pdu[] = [];
    let waiters: Array<() => void> = [];
    let gone = false;
    const framer = new PduFramer((f) => {
      pdus.push(decodePdu(f));
      const w = waiters;
      waiters = [];
      for (const x of w) x();
    });
    socket.on('data', (c) => framer.push(c));
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        gone = true;
        const w = waiters;
        waiters = [];
        for (const x of w) x();
        r();
      }),
    );
    const nth = (n: number, timeoutMs = 10_000): Promise<Pdu> =>
      new Promise((res, rej) => {
        const t = setTimeout(() => rej(new Error(`no PDU #${n} within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          if (pdus.length >= n) {
            clearTimeout(t);
            res(pdus[n - 1]!);
          } else if (gone) {
            clearTimeout(t);
            rej(new Error(`closed after ${pdus.length} PDUs, before PDU #${n}`));
          } else waiters.push(check);
        };
        check();
      });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve({ socket, pdus, closed, isClosed: () => gone, nth });
    });
  });
}
