// A client process for the scale bench's binds (scale.ts): N raw TCP connections that cost next to nothing — each
// writes a pre-encoded bind_transceiver, then on its bind_resp one submit_sm and one enquire_link, and counts the
// answers (header-only parse: no decoder, no per-PDU objects). At most CONNECTING connections are between their
// connect and their bind_resp at a time: a connection counts as connected here once the kernel has queued it for the
// server's accept, so opening the next at each connect would fill the listen backlog and measure the kernel's SYN
// retries (1 s, then 3 s …) instead of the simulator.
// Over IPC: {go: {port, count, prefix, accounts}} opens and binds them all and answers how many got each answer;
// 'check' sends one more enquire_link on every connection and answers how many answered and how many were closed by
// the server (all stayed bound: every one answers, none closed); 'stop' closes them and exits.
import net from 'node:net';
import { bindPdu, enquireLinkPdu, submitSmPdu } from '../test/pdus.js';

const CONNECTING = 200;
const BIND_RESP = 0x80000009;
const SUBMIT_RESP = 0x80000004;
const ENQUIRE_RESP = 0x80000015;

interface Link {
  socket: net.Socket;
  pending: Buffer | null;
  connected: boolean;
  bound: boolean;
  closed: boolean;
  /** resolves its open(): at its bind_resp or its close */
  settled: () => void;
}

const counts = {
  connectFailed: 0,
  bound: 0,
  bindFailed: 0,
  submitted: 0,
  submitFailed: 0,
  enquired: 0,
  closedByServer: 0,
};
const links: Link[] = [];
let onAnswer: () => void = () => {};
let stopping = false;

const submit = submitSmPdu(2, { short_message: Buffer.from('Your verification code is 123456') });
const enquire = (seq: number) => enquireLinkPdu(seq);

function onFrame(link: Link, id: number, status: number, seq: number): void {
  if (id === BIND_RESP) {
    link.settled();
    if (status !== 0) {
      counts.bindFailed++;
    } else {
      link.bound = true;
      counts.bound++;
      // one write: the submit and the enquire_link behind it
      link.socket.write(Buffer.concat([submit, enquire(3)]));
    }
  } else if (id === SUBMIT_RESP) {
    if (status === 0) counts.submitted++;
    else counts.submitFailed++;
  } else if (id === ENQUIRE_RESP && seq >= 3) {
    counts.enquired++;
  }
  onAnswer();
}

function open(port: number, systemId: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const link: Link = { socket, pending: null, connected: false, bound: false, closed: false, settled: () => {} };
    links.push(link);
    socket.setNoDelay(true);
    // a connect refused or reset: counted (connectFailed), not thrown
    socket.on('error', () => {});
    link.settled = resolve;
    socket.once('connect', () => {
      link.connected = true;
      socket.write(bindPdu(1, systemId));
    });
    socket.on('data', (chunk: Buffer) => {
      let buf = link.pending ? Buffer.concat([link.pending, chunk]) : chunk;
      let off = 0;
      while (buf.length - off >= 16) {
        const len = buf.readUInt32BE(off);
        if (buf.length - off < len) break;
        onFrame(link, buf.readUInt32BE(off + 4), buf.readUInt32BE(off + 8), buf.readUInt32BE(off + 12));
        off += len;
      }
      buf = buf.subarray(off);
      link.pending = buf.length ? Buffer.from(buf) : null;
    });
    socket.on('close', () => {
      link.closed = true;
      if (!link.connected) counts.connectFailed++;
      else if (!stopping) counts.closedByServer++;
      link.settled();
      onAnswer();
    });
  });
}

/** Resolves when `done()` holds (checked after each answer), or after `ms` with what there is. */
function until(done: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    onAnswer = () => {
      if (done()) {
        clearTimeout(t);
        onAnswer = () => {};
        resolve(true);
      }
    };
    onAnswer();
  });
}

async function go(port: number, count: number, prefix: string, accounts: number) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let next = 0;
  const opener = async () => {
    while (next < count) {
      const i = next++;
      await open(port, `${prefix}${i % accounts}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTING, count) }, opener));
  const allBound = await until(
    () => counts.bound + counts.bindFailed + counts.closedByServer + counts.connectFailed >= count,
    60_000,
  );
  const bindSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const allAnswered = await until(
    () => counts.submitted + counts.submitFailed >= count && counts.enquired >= count,
    60_000,
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return {
    ...counts,
    complete: allBound && allAnswered,
    bindSeconds,
    seconds,
    cpuMs: (c.user + c.system) / 1000,
  };
}

async function check() {
  const before = counts.enquired;
  const open = links.filter((l) => !l.closed);
  let seq = 100;
  for (const l of open) l.socket.write(enquire(seq++));
  await until(() => counts.enquired - before >= open.length, 60_000);
  return { open: open.length, answered: counts.enquired - before, closedByServer: counts.closedByServer };
}

process.on(
  'message',
  async (m: { go?: { port: number; count: number; prefix: string; accounts: number } } | string) => {
    if (m === 'stop') {
      stopping = true;
      for (const l of links) l.socket.destroy();
      process.exit(0);
    }
    if (m === 'check') process.send!(await check());
    if (typeof m === 'object' && m.go) process.send!(await go(m.go.port, m.go.count, m.go.prefix, m.go.accounts));
  },
);
process.send!({ ready: true });
