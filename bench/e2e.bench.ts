// End-to-end benchmark: `esme load` (this package's load generator, closed loop at full window) against the
// simulator persisting to SQLite, versus a client and a server both built on the npm `smpp` package; windows
// 1, 10 and 100, with and without receipts, the same message. Each server runs in its own process.
// Prints JSON: submits/s, latency percentiles, and ours/smpp ratios.
// Knobs: BENCH_DURATION_MS, BENCH_REPEATS, BENCH_WINDOWS (e.g. 100); BENCH_PROF=dir writes CPU profiles of the servers.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runLoadTest } from '@smppkit/esme-client';
import { smppPackageLoad } from './smpp-client-load.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 2500);
/** Each measurement is repeated (alternating the two stacks) and the best run kept: the machine is shared. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
const WINDOWS = (process.env.BENCH_WINDOWS ?? '1,10,100').split(',').map(Number);
const TEXT = 'Your verification code is 123456. It expires in 10 minutes.';
const here = fileURLToPath(new URL('.', import.meta.url));

async function startServer(kind: 'smsc' | 'smpp', db?: string): Promise<{ port: number; child: ChildProcess }> {
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...prof, join(here, 'server-process.ts'), kind, ...(db ? [db] : [])],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { port: JSON.parse(line).port as number, child };
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
  try {
    // warm-up (JIT) for both stacks
    await ours(smsc.port, 10, false, 500);
    await smppPackageLoad(baseline.port, { window: 10, durationMs: 500, dlr: false, text: TEXT, receiptWaitMs: 5000 });
    for (const dlr of [false, true]) {
      for (const window of WINDOWS) {
        let a: Awaited<ReturnType<typeof ours>> | undefined;
        let b: Awaited<ReturnType<typeof smppPackageLoad>> | undefined;
        for (let k = 0; k < REPEATS; k++) {
          const x = await ours(smsc.port, window, dlr, DURATION_MS);
          const y = await smppPackageLoad(baseline.port, {
            window,
            durationMs: DURATION_MS,
            dlr,
            text: TEXT,
            receiptWaitMs: 10_000,
          });
          // with receipts, a run is judged by the end-to-end rate (messages whose receipt arrived per second)
          const rate = (r: { throughput: number; receipts?: { throughput: number } }) =>
            dlr ? (r.receipts?.throughput ?? 0) : r.throughput;
          if (!a || rate(x) > rate(a)) a = x;
          if (!b || rate(y) > rate(b)) b = y;
        }
        if (!a || !b) throw new Error('BENCH_REPEATS must be >= 1');
        runs.push({
          window,
          receipts: dlr,
          esme_vs_smsc_sim_sqlite: a,
          smpp_package_pair: b,
          ratio: {
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
            '\n',
        );
      }
    }
  } finally {
    await stop(smsc.child);
    await stop(baseline.child);
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'e2e: esme load → smsc-sim (SQLite) vs npm smpp client → npm smpp server',
        node: process.version,
        durationPerRunMs: DURATION_MS,
        repeats: REPEATS,
        kept: 'the run with the highest throughput of each stack (with receipts: the highest end-to-end rate, receipts.throughput)',
        message: TEXT,
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
