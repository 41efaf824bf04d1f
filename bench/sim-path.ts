// The simulator's CPU per message in one process, for two builds side by side (e.g. main's start and a branch, each
// built into its own packages/*/dist), without esme load's batching moving with the machine's load: a raw client
// (no session, no codec on its path) writes `window` submit_sm in one write, waits for their submit_sm_resp, and
// writes the next batch (lock-step), answering each receipt's deliver_sm with a deliver_sm_resp, all those of a read
// in one write. Client and simulator share the process: the CPU per message includes the raw client (the same
// small cost for both builds) and the store's checkpoint worker. Rounds alternate the builds; prints CPU µs per
// message, minimum and median of the rounds after two warm-up rounds. Compare within one run.
//   node --import tsx bench/sim-path.ts /path/a/packages /path/b/packages [rounds] [receipts] [window]
// e.g. node --import tsx bench/sim-path.ts /work/wt/base/packages $PWD/packages 8 receipts
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const roots = args.filter((a) => a.includes('/'));
const ROUNDS = Number(args.find((a) => /^\d+$/.test(a)) ?? 8);
const RECEIPTS = args.includes('receipts');
const WINDOW = Number(args.find((a) => /^w\d+$/.test(a))?.slice(1) ?? 100);
const N = 20_000;
const TEXT = 'Your verification code is 123456. It expires in 10 minutes.';

const SUBMIT_SM_RESP = 0x80000004;
const DELIVER_SM = 0x00000005;
const BIND_TRANSCEIVER_RESP = 0x80000009;

type Round = () => Promise<number>;

function header(len: number, id: number, seq: number): Buffer {
  const b = Buffer.alloc(len);
  b.writeUInt32BE(len, 0);
  b.writeUInt32BE(id, 4);
  b.writeUInt32BE(seq, 12);
  return b;
}

function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'latin1');
}

function submitSm(seq: number): Buffer {
  const body = Buffer.concat([
    cstr(''),
    Buffer.from([5, 0]),
    cstr('LOADTEST'),
    Buffer.from([1, 1]),
    cstr('4790000001'),
    Buffer.from([0, 0, 0]),
    cstr(''),
    cstr(''),
    Buffer.from([RECEIPTS ? 1 : 0, 0, 0, 0, TEXT.length]),
    Buffer.from(TEXT, 'latin1'),
  ]);
  const h = header(16, 0x00000004, seq);
  const b = Buffer.concat([h, body]);
  b.writeUInt32BE(b.length, 0);
  return b;
}

function bindTransceiver(): Buffer {
  const body = Buffer.concat([cstr('bench'), cstr('bench'), cstr(''), Buffer.from([0x34, 0, 0]), cstr('')]);
  const b = Buffer.concat([header(16, 0x00000009, 1), body]);
  b.writeUInt32BE(b.length, 0);
  return b;
}

async function setup(spec: string): Promise<Round> {
  // `path#NAME=value`: the environment variable set while this build's simulator starts (a knob it reads then)
  const [root, env] = spec.split('#') as [string, string | undefined];
  if (env !== undefined) process.env[env.split('=')[0]!] = env.split('=')[1];
  const { startSmsc } = await import(`${root}/smsc-sim/dist/index.js`);
  const dir = mkdtempSync(join(tmpdir(), 'sim-path-'));
  const smsc = await startSmsc({
    store: { path: join(dir, 'smsc.db') },
    accounts: [{ systemId: 'bench', password: 'bench', maxBinds: 10 }],
    defaultDelayMs: 0,
    logLevel: 'error',
  });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const socket = net.connect(smsc.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const batch = Buffer.concat(Array.from({ length: WINDOW }, (_, i) => submitSm(i + 2)));
  let pending: Buffer | undefined;
  let onResp: (() => void) | undefined;
  let bound: (() => void) | undefined;
  let resps = 0;
  let receipts = 0;
  socket.on('data', (chunk: Buffer) => {
    const b = pending ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    const out: Buffer[] = [];
    while (b.length - off >= 16) {
      const len = b.readUInt32BE(off);
      if (b.length - off < len) break;
      const cmd = b.readUInt32BE(off + 4);
      if (cmd === SUBMIT_SM_RESP) resps++;
      else if (cmd === DELIVER_SM) {
        receipts++;
        const r = header(17, 0x80000005, b.readUInt32BE(off + 12));
        out.push(r);
      } else if (cmd === BIND_TRANSCEIVER_RESP) bound?.();
      off += len;
    }
    pending = off < b.length ? Buffer.from(b.subarray(off)) : undefined;
    if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    if (onResp !== undefined) onResp();
  });
  socket.write(bindTransceiver());
  await new Promise<void>((r) => {
    bound = r;
  });
  return async () => {
    resps = 0;
    receipts = 0;
    const t0 = process.cpuUsage();
    for (let sent = 0; sent < N; sent += WINDOW) {
      const want = sent + WINDOW;
      await new Promise<void>((r) => {
        onResp = () => {
          if (resps >= want && (!RECEIPTS || receipts >= want)) r();
        };
        socket.write(batch);
      });
    }
    onResp = undefined;
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / N;
  };
}

const runs: Round[] = [];
for (const r of roots) runs.push(await setup(r));
const results: number[][] = roots.map(() => []);
for (let r = 0; r < ROUNDS + 2; r++) {
  for (let i = 0; i < runs.length; i++) {
    const us = await runs[i]!();
    if (r >= 2) results[i]!.push(us);
  }
}
for (let i = 0; i < roots.length; i++) {
  const s = [...results[i]!].sort((a, b) => a - b);
  const med = s[s.length >> 1]!;
  console.log(
    `${roots[i]} ${RECEIPTS ? 'receipts' : 'no receipts'} w${WINDOW}: min ${s[0]!.toFixed(2)} µs, median ${med.toFixed(2)} µs per message (${s.length} rounds)`,
  );
}
process.exit(0);
