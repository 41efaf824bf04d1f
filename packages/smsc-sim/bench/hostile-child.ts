// Hostile connections for the flood case of bench:smsc, in their own process: N connections from 127.0.0.2 and
// 127.0.0.3 (other sources than the good ESME's), a third each
//   bind-spam  wrong-password binds, pipelined as fast as the socket takes them (answers read and dropped)
//   garbage    well-framed PDUs with an unknown command_id, as fast as the socket takes them (answers read)
//   no-read    enquire_links as fast as the socket takes them, never reading an answer
// each reconnecting at once when the simulator closes it. Over IPC: its first message once all are connected;
// 'stats' → { reconnects, bytesWritten }; 'stop' closes everything and exits.
import net from 'node:net';
import { encodePdu } from '@smppkit/core';
import { bindPdu, headerOnly } from '../test/pdus.js';

const [portArg, countArg] = process.argv.slice(2);
const port = Number(portArg);
const count = Number(countArg ?? 200);
const SOURCES = ['127.0.0.2', '127.0.0.3'];
const KINDS = ['bind-spam', 'garbage', 'no-read'] as const;

const repeat = (pdu: (seq: number) => Buffer, n: number) =>
  Buffer.concat(Array.from({ length: n }, (_, i) => pdu(i + 1)));
const CHUNK = {
  'bind-spam': repeat((s) => bindPdu(s, 'good', 'wrong'), 200),
  garbage: repeat((s) => headerOnly(0x00000077, s), 500),
  'no-read': repeat((s) => encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: s }), 500),
};

let reconnects = 0;
let bytesWritten = 0;
let stopping = false;
const live = new Set<net.Socket>();

function open(i: number, first: () => void = () => {}): void {
  const kind = KINDS[i % KINDS.length]!;
  const s = net.connect({ port, host: '127.0.0.1', localAddress: SOURCES[i % SOURCES.length] });
  live.add(s);
  s.on('error', () => {});
  s.once('connect', () => {
    first();
    if (kind === 'no-read') s.pause();
    else s.on('data', () => {});
    const pump = () => {
      while (!s.destroyed && s.write(CHUNK[kind])) bytesWritten += CHUNK[kind].length;
      if (!s.destroyed) s.once('drain', pump);
    };
    pump();
  });
  s.once('close', () => {
    live.delete(s);
    if (stopping) return;
    reconnects++;
    setImmediate(() => open(i));
  });
}

let connected = 0;
await new Promise<void>((resolve) => {
  for (let i = 0; i < count; i++) open(i, () => ++connected === count && resolve());
});
process.on('message', (m: string) => {
  if (m === 'stats') process.send!({ reconnects, bytesWritten, open: live.size });
  if (m === 'stop') {
    stopping = true;
    for (const s of live) s.destroy();
    process.exit(0);
  }
});
process.send!({ port: 0, connected });
