// A quick probe for profiling work (not a benchmark of record: bench:e2e is). Starts one server kind in its own
// process (bench/server-process.ts: smsc, smpp or echo), drives it with `esme load` (or the echo client for echo)
// at each window, with and without receipts, and prints one JSON line per case: the rate, and the CPU per message
// of the server and of this process (the client), split into user and system time.
//   node --import tsx bench/probe.ts [smsc|smpp|echo]
// Knobs: PROBE_WINDOWS (1,100), PROBE_RECEIPTS (0,1), PROBE_DURATION_MS (2500), PROBE_PERF=file (perf record of
// the server, software clock, call graphs; the server runs with --perf-basic-prof), PROBE_STRACE=file (strace -c
// -f of the server), PROBE_DELAY_MS (when perf/strace start, default 1000), PROBE_WARMUP_MS (unmeasured runs first, 500),
// PROBE_TRACE_MS (how long they record, default 3000), PROBE_PROF=dir (V8 CPU profiles of the server),
// PROBE_NODE_ARGS (more node options for the server, space-separated: e.g. `--trace-deopt`, or
// `--import ./bench/loop-counts.ts`), PROBE_OUT=file (the server's stdout lines that are not the probe's JSON),
// PROBE_STORE=memory (the simulator on a memory store: what the file costs, by difference). The environment passes
// to the server (e.g. SMPPKIT_SQLITE_LOCKING=exclusive). The warm-up runs at window 10: a first window-1 case still
// pays V8's compiles (20-40 % more CPU); PROBE_WINDOWS=1,1 measures it twice, the second warm.
// clientThreadsUs: the client's CPU split into its main (JavaScript) thread and V8's helper threads (JIT compiles,
// GC), from /proc: a short run at window 1 can spend a quarter of its CPU compiling (bench/thread-cpu.ts).
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runLoadTest } from '@smppkit/esme-client';
import { echoLoad } from './tcp-echo.js';
import { threadCpu } from './thread-cpu.js';

const kind = process.argv[2] ?? 'smsc';
const env = process.env;
const windows = (env.PROBE_WINDOWS ?? '1,100').split(',').map(Number);
const receiptModes = (env.PROBE_RECEIPTS ?? '0,1').split(',').map((x) => x === '1');
const durationMs = Number(env.PROBE_DURATION_MS ?? 2500);
const TEXT = 'Your verification code is 123456. It expires in 10 minutes.';
const sizes = { submit: 110, submitResp: 22, receipt: 183, receiptResp: 17 };
const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'probe-'));

const nodeArgs = [
  '--import',
  'tsx',
  ...(env.PROBE_PROF ? ['--cpu-prof', `--cpu-prof-dir=${env.PROBE_PROF}`] : []),
  ...(env.PROBE_PERF ? ['--perf-basic-prof'] : []),
  ...(env.PROBE_NODE_ARGS ? env.PROBE_NODE_ARGS.split(' ') : []),
];
const arg = kind === 'echo' ? JSON.stringify(sizes) : join(dir, 'smsc.db');
const child = spawn(process.execPath, [...nodeArgs, join(here, 'server-process.ts'), kind, arg], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! });
const waiting: Array<(l: string) => void> = [];
lines.on('line', (l) => {
  // a trace option of PROBE_NODE_ARGS writes to stdout too
  if (l.startsWith('{"')) waiting.shift()?.(l);
  else if (env.PROBE_OUT) appendFileSync(env.PROBE_OUT, `${l}\n`);
});
const next = () => new Promise<string>((resolve) => waiting.push(resolve));
const port = (JSON.parse(await next()) as { port: number }).port;
const cpu = async () => {
  const answer = next();
  child.stdin!.write('cpu\n');
  return JSON.parse(await answer) as { userUs: number; systemUs: number };
};

const traceMs = String(Number(env.PROBE_TRACE_MS ?? 3000) / 1000);
setTimeout(
  () => {
    const pid = String(child.pid);
    if (env.PROBE_PERF)
      execFile('perf', [
        'record',
        '-e',
        'cpu-clock',
        '-F',
        '4999',
        '-g',
        '-o',
        env.PROBE_PERF,
        '-p',
        pid,
        'sleep',
        traceMs,
      ]);
    if (env.PROBE_STRACE)
      execFile('timeout', ['-s', 'INT', traceMs, 'strace', '-c', '-f', '-o', env.PROBE_STRACE, '-p', pid]);
  },
  Number(env.PROBE_DELAY_MS ?? 1000),
);

/** Not measured: lets the JIT optimize the paths measured (PROBE_WARMUP_MS, default 500 per receipt mode). */
async function warmUp(): Promise<void> {
  const ms = Number(env.PROBE_WARMUP_MS ?? 500);
  if (ms <= 0) return;
  for (const dlr of receiptModes) {
    if (kind === 'echo') await echoLoad(port, sizes, { window: 10, durationMs: ms, receipts: dlr });
    else await load(10, dlr, ms);
  }
}

function load(window: number, dlr: boolean, ms: number) {
  return runLoadTest({
    urls: [`smpp://bench:bench@127.0.0.1:${port}`],
    binds: 1,
    window,
    mode: 'closed',
    durationMs: ms,
    dlr,
    receiptWaitMs: 10_000,
    messages: [{ from: 'LOADTEST', to: '4790000001', text: TEXT, dlr }],
  });
}

await warmUp();
for (const window of windows) {
  for (const dlr of receiptModes) {
    const s0 = await cpu();
    const c0 = process.cpuUsage();
    const t0 = threadCpu();
    let n: number;
    let rate: number;
    if (kind === 'echo') {
      const r = await echoLoad(port, sizes, { window, durationMs, receipts: dlr });
      n = r.messages;
      rate = r.throughput;
    } else {
      const r = await load(window, dlr, durationMs);
      n = dlr ? (r.receipts?.received ?? 0) : r.acknowledged;
      rate = dlr ? (r.receipts?.throughput ?? 0) : r.throughput;
    }
    const c = process.cpuUsage(c0);
    const t1 = threadCpu();
    const s1 = await cpu();
    const per = (us: number) => Math.round((us / Math.max(n, 1)) * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        kind,
        window,
        receipts: dlr,
        rate: Math.round(rate),
        messages: n,
        serverUs: { user: per(s1.userUs - s0.userUs), system: per(s1.systemUs - s0.systemUs) },
        clientUs: { user: per(c.user), system: per(c.system) },
        ...(t0 && t1
          ? { clientThreadsUs: { main: per(t1.mainUs - t0.mainUs), helpers: per(t1.otherUs - t0.otherUs) } }
          : {}),
      })}\n`,
    );
  }
}
child.stdin!.end();
child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
