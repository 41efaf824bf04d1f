// The flood case of bench:smsc: a good ESME's submit throughput alone, then with HOSTILE (default 200) hostile
// connections running (hostile-child.ts: wrong-password bind spam, well-framed garbage, send-and-never-read, from
// other source addresses, reconnecting when closed), against one simulator (flood-server-child.ts). The good client
// is pre-encoded and pipelined (FLOOD_WINDOW outstanding), so the simulator, not the client, sets the pace.
// Reported: both rates and their ratio (1 = the flood costs the good ESME nothing), the simulator's CPU, RSS and
// log bytes in each phase, and what the hostile side did.
import net from 'node:net';
import { bindPdu, submitSmPdu } from '../test/pdus.js';
import { MESSAGE } from './smpp-driver.js';

interface Child {
  port: number;
  ask(m: string): Promise<any>;
}

const HOSTILE = Number(process.env.BENCH_HOSTILE ?? 200);
const FLOOD_SUBMITS = Number(process.env.BENCH_FLOOD_SUBMITS ?? 30_000);
const FLOOD_WINDOW = 200;

/** A bound raw client: submits `total` pre-encoded submit_sm, FLOOD_WINDOW outstanding; resolves with the seconds. */
async function goodClient(
  port: number,
): Promise<{ run(total: number): Promise<{ seconds: number; errors: number }>; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const template = submitSmPdu(1, { short_message: Buffer.from(MESSAGE) });
  let answered = 0;
  let errors = 0;
  let bound = false;
  let pending: Buffer = Buffer.alloc(0);
  let onProgress: () => void = () => {};
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (pending.length - off >= 16) {
      const len = pending.readUInt32BE(off);
      if (pending.length - off < len) break;
      const id = pending.readUInt32BE(off + 4);
      if (id === 0x80000009) bound = pending.readUInt32BE(off + 8) === 0;
      if (id === 0x80000004) {
        answered++;
        if (pending.readUInt32BE(off + 8) !== 0) errors++;
      }
      off += len;
    }
    pending = pending.subarray(off);
    onProgress();
  });
  socket.write(bindPdu(1, 'good', 'pw'));
  await new Promise<void>((r) => (onProgress = () => bound && r()));
  let seq = 1;
  return {
    close: () => socket.destroy(),
    run: (total) => {
      answered = 0;
      errors = 0;
      let sent = 0;
      const sendMore = () => {
        const n = Math.min(total - sent, FLOOD_WINDOW - (sent - answered));
        if (n <= 0) return;
        const buf = Buffer.allocUnsafe(template.length * n);
        for (let i = 0; i < n; i++) {
          template.copy(buf, i * template.length);
          buf.writeUInt32BE(++seq, i * template.length + 12);
        }
        sent += n;
        socket.write(buf);
      };
      const t0 = process.hrtime.bigint();
      return new Promise((resolve) => {
        onProgress = () => {
          if (answered >= total) resolve({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, errors });
          else sendMore();
        };
        sendMore();
      });
    },
  };
}

async function phase(server: Child, good: Awaited<ReturnType<typeof goodClient>>) {
  await server.ask('mark');
  const { seconds, errors } = await good.run(FLOOD_SUBMITS);
  const u = await server.ask('usage');
  return {
    submits: FLOOD_SUBMITS,
    errors,
    submitsPerSecond: Math.round(FLOOD_SUBMITS / seconds),
    serverBusyFraction: +(u.cpuMs / 1000 / seconds).toFixed(2),
    serverRssMb: Math.round(u.rssMb),
    serverLogBytesPerSecond: Math.round(u.logBytes / seconds),
    serverSessions: u.sessions,
  };
}

/** Good-bind throughput alone vs with HOSTILE hostile connections. */
export async function flood<C extends Child>(
  startChild: (file: string, args: string[]) => Promise<C>,
  stopChild: (c: C) => Promise<void>,
) {
  const server = await startChild('./flood-server-child.ts', []);
  const good = await goodClient(server.port);
  await good.run(4000); // warm-up
  const alone = await phase(server, good);
  const hostile = await startChild('./hostile-child.ts', [String(server.port), String(HOSTILE)]);
  await new Promise((r) => setTimeout(r, 1000)); // the flood under way
  const hostileBefore = await hostile.ask('stats');
  const withFlood = await phase(server, good);
  const hostileAfter = await hostile.ask('stats');
  await stopChild(hostile);
  good.close();
  await stopChild(server);
  return {
    what: `a pre-encoded pipelined ESME (${FLOOD_WINDOW} outstanding) alone, then with ${HOSTILE} hostile connections (wrong-password bind spam, garbage, send-and-never-read; from 127.0.0.2/3, reconnecting when closed); ratio = with ÷ alone`,
    hostileConnections: HOSTILE,
    alone,
    withFlood,
    hostileDuringRun: {
      reconnects: hostileAfter.reconnects - hostileBefore.reconnects,
      mbWritten: +((hostileAfter.bytesWritten - hostileBefore.bytesWritten) / 2 ** 20).toFixed(1),
    },
    ratio: +(withFlood.submitsPerSecond / alone.submitsPerSecond).toFixed(2),
  };
}
