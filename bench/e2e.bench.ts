// End-to-end benchmark: `esme load` (this package's load generator, closed loop at full window) against the
// simulator persisting to SQLite, versus a client and a server both built on the npm `smpp` package; windows
// 1, 10 and 100, with and without receipts, the same message. Each server runs in its own process. A plain TCP
// exchange of the same frame sizes (bench/tcp-echo.ts) measured in the same run gives the machine's limit.
// Prints JSON: submits/s, latency percentiles, CPU per message of each server (its own process CPU time) and of
// each client (this process, which runs only the client being measured), ours/smpp and ours/echo ratios.
// Knobs: BENCH_DURATION_MS, BENCH_REPEATS, BENCH_WARMUP_MS (unmeasured run per window and mode, 1000), BENCH_WINDOWS (e.g. 100); BENCH_PROF=dir writes CPU profiles of the servers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeWithHeader } from '@smppkit/core';
import { runLoadTest } from '@smppkit/esme-client';
import { smppPackageLoad } from './smpp-client-load.js';
import { type EchoReport, type EchoSizes, echoLoad } from './tcp-echo.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2500);
/** Each measurement is repeated (alternating the two stacks) and the best run kept: the machine is shared. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
/** an unmeasured run of each stack at each window and mode before its measured ones (JIT: a window-1 read takes
 * other paths than a window-10 one, and a short cold run spends a quarter of its CPU compiling) */
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const WINDOWS = (process.env.BENCH_WINDOWS ?? '1,10,100').split(',').map(Number);
const TEXT = 'Your verification code is 123456. It expires in 10 minutes.';
const here = fileURLToPath(new URL('.', import.meta.url));

interface Server {
  port: number;
  child: ChildProcess;
  /** The server process's CPU time so far (user + system), in microseconds. */
  cpuUs(): Promise<number>;
}

async function startServer(kind: 'smsc' | 'smpp' | 'echo', arg?: string): Promise<Server> {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...prof, join(here, 'server-process.ts'), kind, ...(arg ? [arg] : [])],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const rl = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  rl.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  const line = await new Promise<string>((resolve, reject) => {
    void next().then(resolve);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  const cpuUs = async () => {
    const answer = next();
    child.stdin!.write('cpu\n');
    return JSON.parse(await answer).cpuUs as number;
  };
  return { port: JSON.parse(line).port as number, child, cpuUs };
}

/** Runs `load` and adds the CPU it cost, per message, on each side (µs, one decimal). */
async function measured<R extends { acknowledged: number; receipts?: { received: number } }>(
  server: Server,
  dlr: boolean,
  load: () => Promise<R>,
): Promise<R & { cpuUsPerMessage: { server: number | null; client: number | null } }> {
  const s0 = await server.cpuUs();
  const c0 = process.cpuUsage();
  const r = await load();
  const c = process.cpuUsage(c0);
  const s1 = await server.cpuUs();
  const n = dlr ? (r.receipts?.received ?? 0) : r.acknowledged;
  const per = (us: number) => (n > 0 ? Math.round((us / n) * 10) / 10 : null);
  return { ...r, cpuUsPerMessage: { server: per(s1 - s0), client: per(c.user + c.system) } };
}

/** The echo exchange with the CPU it cost per message on each side (the floor for the same traffic). */
async function measuredEcho(server: Server, load: () => Promise<EchoReport>) {
  const s0 = await server.cpuUs();
  const c0 = process.cpuUsage();
  const r = await load();
  const c = process.cpuUsage(c0);
  const s1 = await server.cpuUs();
  const per = (us: number) => (r.messages > 0 ? Math.round((us / r.messages) * 10) / 10 : null);
  return { ...r, cpuUsPerMessage: { server: per(s1 - s0), client: per(c.user + c.system) } };
}

/** The frame sizes of the exchange measured, for the TCP baseline. */
function frameSizes(): EchoSizes {
  const id = '1e240';
  const size = (command: Parameters<typeof encodeWithHeader>[0], fields: object) =>
    encodeWithHeader(command, fields, 0, 1).length;
  return {
    submit: size('submit_sm', {
      source_addr: 'LOADTEST',
      destination_addr: '4790000001',
      registered_delivery: 1,
      short_message: Buffer.from(TEXT),
    }),
    submitResp: size('submit_sm_resp', { message_id: id }),
    receipt: size('deliver_sm', {
      source_addr: '4790000001',
      destination_addr: 'LOADTEST',
      esm_class: 4,
      short_message: Buffer.from(
        `id:${id} sub:001 dlvrd:001 submit date:2612011200 done date:2612011200 stat:DELIVRD err:000 text:${TEXT.slice(0, 20)}`,
      ),
      tlvs: { receipted_message_id: id, message_state: 2 },
    }),
    receiptResp: size('deliver_sm_resp', {}),
  };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.stdin!.end();
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

async function ours(port: number, window: number, dlr: boolean, durationMs: number) {
  const r = await runLoadTest({
    urls: [`smpp://bench:bench@127.0.0.1:${port}`],
    binds: 1,
    window,
    mode: 'closed',
    durationMs,
    dlr,
    receiptWaitMs: 10_000,
    messages: [{ from: 'LOADTEST', to: '4790000001', text: TEXT, dlr }],
  });
  return {
    sent: r.sent,
    acknowledged: r.acknowledged,
    failed: r.failed,
    durationMs: Math.round(r.durationMs),
    throughput: Math.round(r.throughput),
    latencyMs: r.latencyMs,
    ...(r.receipts
      ? {
          receipts: {
            received: r.receipts.received,
            missing: r.receipts.missing,
            latencyMs: r.receipts.latencyMs,
            throughput: Math.round(r.receipts.throughput),
          },
        }
      : {}),
  };
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

/**
 * Issue 5's bar at window 100: 8x what the npm smpp pair did where the issue was written (about 16k submits/s,
 * about 8k with receipts). Reported beside the same-run ratio, which depends on how fast the pair runs here.
 */
const ISSUE_BAR = { window: 100, pairQuoted: { withoutReceipts: 16_000, withReceipts: 8_000 }, factor: 8 };

function barCheck(
  runs: Array<{
    window: number;
    receipts: boolean;
    esme_vs_smsc_sim_sqlite: { throughput: number; receipts?: { throughput: number } };
  }>,
) {
  const out: Record<string, unknown> = {};
  for (const r of runs) {
    if (r.window !== ISSUE_BAR.window) continue;
    const key = r.receipts ? 'withReceipts' : 'withoutReceipts';
    const target = ISSUE_BAR.pairQuoted[key] * ISSUE_BAR.factor;
    const achieved = r.receipts
      ? (r.esme_vs_smsc_sim_sqlite.receipts?.throughput ?? 0)
      : r.esme_vs_smsc_sim_sqlite.throughput;
    out[key] = { target, achieved, met: achieved >= target };
  }
  return { ...ISSUE_BAR, ...out };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esme-bench-'));
  const runs: unknown[] = [];
  const smsc = await startServer('smsc', join(dir, 'smsc.db'));
  const baseline = await startServer('smpp');
  const sizes = frameSizes();
  const echo = await startServer('echo', JSON.stringify(sizes));
  try {
    // warm-up (JIT) for both stacks, with and without receipts: the measured runs see code already optimized
    for (const dlr of [false, true]) {
      await ours(smsc.port, 10, dlr, 500);
      await smppPackageLoad(baseline.port, { window: 10, durationMs: 500, dlr, text: TEXT, receiptWaitMs: 5000 });
    }
    for (const dlr of [false, true]) {
      for (const window of WINDOWS) {
        let a: Awaited<ReturnType<typeof measured<Awaited<ReturnType<typeof ours>>>>> | undefined;
        let b: Awaited<ReturnType<typeof measured<Awaited<ReturnType<typeof smppPackageLoad>>>>> | undefined;
        let e: Awaited<ReturnType<typeof measuredEcho>> | undefined;
        if (WARMUP_MS > 0) {
          await ours(smsc.port, window, dlr, WARMUP_MS);
          await smppPackageLoad(baseline.port, { window, durationMs: WARMUP_MS, dlr, text: TEXT, receiptWaitMs: 5000 });
          await echoLoad(echo.port, sizes, { window, durationMs: WARMUP_MS, receipts: dlr });
        }
        for (let k = 0; k < REPEATS; k++) {
          const x = await measured(smsc, dlr, () => ours(smsc.port, window, dlr, DURATION_MS));
          const y = await measured(baseline, dlr, () =>
            smppPackageLoad(baseline.port, { window, durationMs: DURATION_MS, dlr, text: TEXT, receiptWaitMs: 10_000 }),
          );
          const z = await measuredEcho(echo, () =>
            echoLoad(echo.port, sizes, { window, durationMs: DURATION_MS, receipts: dlr }),
          );
          // with receipts, a run is judged by the end-to-end rate (messages whose receipt arrived per second)
          const rate = (r: { throughput: number; receipts?: { throughput: number } }) =>
            dlr ? (r.receipts?.throughput ?? 0) : r.throughput;
          if (!a || rate(x) > rate(a)) a = x;
          if (!b || rate(y) > rate(b)) b = y;
          if (!e || z.throughput > e.throughput) e = z;
        }
        if (!a || !b || !e) throw new Error('BENCH_REPEATS must be >= 1');
        const endToEnd = dlr ? (a.receipts?.throughput ?? 0) : a.throughput;
        runs.push({
          window,
          receipts: dlr,
          esme_vs_smsc_sim_sqlite: a,
          smpp_package_pair: b,
          tcp_echo_same_sizes: e,
          ratio: {
            ofTcpEcho: ratio(endToEnd, e.throughput),
            // CPU per message against the echo's for the same traffic (1 = no cost beyond the socket exchange)
            serverCpuOfTcpEcho: ratio(a.cpuUsPerMessage.server ?? 0, e.cpuUsPerMessage.server ?? 0),
            clientCpuOfTcpEcho: ratio(a.cpuUsPerMessage.client ?? 0, e.cpuUsPerMessage.client ?? 0),
            throughput: ratio(a.throughput, b.throughput),
            p50: ratio(a.latencyMs.p50, b.latencyMs.p50),
            p99: ratio(a.latencyMs.p99, b.latencyMs.p99),
            ...(dlr ? { receiptThroughput: ratio(a.receipts?.throughput ?? 0, b.receipts?.throughput ?? 0) } : {}),
          },
        });
        process.stderr.write(
          `window ${window}${dlr ? ' +receipts' : ''}: esme ${a.throughput}/s vs smpp ${b.throughput}/s (x${ratio(a.throughput, b.throughput)})` +
            (dlr
              ? `; with receipt back: ${a.receipts?.throughput}/s vs ${b.receipts?.throughput}/s (x${ratio(a.receipts?.throughput ?? 0, b.receipts?.throughput ?? 0)})`
              : '') +
            `; tcp echo ${e.throughput}/s (x${ratio(endToEnd, e.throughput)}); CPU µs/msg: sim ${a.cpuUsPerMessage.server}, esme ${a.cpuUsPerMessage.client}, echo server ${e.cpuUsPerMessage.server}, echo client ${e.cpuUsPerMessage.client}\n`,
        );
      }
    }
  } finally {
    await stop(smsc.child);
    await stop(baseline.child);
    await stop(echo.child);
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'e2e: esme load → smsc-sim (SQLite) vs npm smpp client → npm smpp server',
        node: process.version,
        durationPerRunMs: DURATION_MS,
        warmupPerWindowMs: WARMUP_MS,
        repeats: REPEATS,
        kept: 'the run with the highest throughput of each stack (with receipts: the highest end-to-end rate, receipts.throughput)',
        message: TEXT,
        frameSizes: sizes,
        cpu: 'cpuUsPerMessage: server = its process CPU time (user+system) over the run / messages; client = this process (it runs only that client); messages = acknowledged submits, or with receipts those whose receipt arrived; the TCP echo is measured the same way (serverCpuOfTcpEcho, clientCpuOfTcpEcho: ours over the echo, same run)',
        binds: 1,
        mode: 'closed loop at full window',
        runs,
        issueBar: barCheck(runs as never),
      },
      null,
      2,
    ) + '\n',
  );
}

main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err) + '\n');
  process.exit(1);
});
