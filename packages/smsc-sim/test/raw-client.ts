// A raw TCP client for the simulator's tests: writes bytes as given, decodes what comes back with @smppkit/core.
import net from 'node:net';
import { decodePdu, type Pdu, PduFramer } from '@smppkit/core';

export interface RawClient {
  socket: net.Socket;
  pdus: Pdu[];
  closed: Promise<void>;
  next(): Promise<Pdu>;
}

export function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const pdus: Pdu[] = [];
    const waiters: Array<(p: Pdu) => void> = [];
    const framer = new PduFramer((f) => {
      const p = decodePdu(f);
      const w = waiters.shift();
      if (w) w(p);
      else pdus.push(p);
    });
    socket.on('data', (c) => framer.push(c));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('connect', () =>
      resolve({
        socket,
        pdus,
        closed,
        next: () =>
          pdus.length
            ? Promise.resolve(pdus.shift()!)
            : new Promise((r, j) => {
                const t = setTimeout(() => j(new Error('no PDU within 5 s')), 5000);
                waiters.push((p) => {
                  clearTimeout(t);
                  r(p);
                });
              }),
      }),
    );
    socket.on('error', reject);
  });
}
