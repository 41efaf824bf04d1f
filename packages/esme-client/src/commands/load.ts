// esme load: drive binds at a fixed arrival rate (open loop) or at full window (closed loop), report latency
// percentiles, throughput, failures by status and, with --dlr, receipts.
import { writeFileSync } from 'node:fs';
import { LoadRun, type LoadProgress, type LoadReport } from '../load/generator.js';
import type { PreparedMessage, SubmitMessage } from '../message-builder.js';
import { Pool } from '../pool.js';
import { ConfigError } from '../errors.js';
import { EXIT, errorJson, exitCodeOf, urlFrom } from './common.js';

export interface LoadCliOptions {
  url?: string[];
  binds: number;
  window: number;
  rate?: number;
  unlimited?: boolean;
  count?: number;
  duration?: number;
  dlr?: boolean;
  receiptWait?: number;
  text?: string;
  mix?: string;
  from: string;
  to: string;
  report?: string;
  json?: boolean;
  quiet?: boolean;
}

/** The message kinds of --mix. */
export const MIX: Record<string, (i: number) => string> = {
  gsm: () => 'Load test message: your code is 123456. Reply STOP to opt out.',
  ucs2: () => 'Нагрузочный тест: ваш код 123456 ✓',
  long: () => 'This is a long load-test message that needs two parts. '.repeat(4).trim(),
  emoji: () => 'Load test 😀👍 your code is 123456',
};

export interface LoadSetup {
  urls: string[];
  binds: number;
  window: number;
  mode: 'open' | 'closed';
  rate?: number;
  count?: number;
  durationMs?: number;
  dlr: boolean;
  receiptWaitMs: number;
  messages: SubmitMessage[];
}

export function loadSetup(o: LoadCliOptions): LoadSetup {
  const urls = o.url && o.url.length > 0 ? o.url : [urlFrom(undefined)];
  if (o.rate !== undefined && o.unlimited) throw new ConfigError('give --rate or --unlimited, not both');
  if (o.rate === undefined && !o.unlimited) throw new ConfigError('give --rate R (open loop) or --unlimited (closed loop at full window)');
  if (o.count === undefined && o.duration === undefined) throw new ConfigError('give --count N or --duration SECONDS');
  if (o.text !== undefined && o.mix !== undefined) throw new ConfigError('give --text or --mix, not both');
  const kinds = o.mix ? o.mix.split(',').map((k) => k.trim()) : [];
  for (const k of kinds) if (!MIX[k]) throw new ConfigError(`--mix '${k}' is not one of ${Object.keys(MIX).join(', ')}`);
  const texts = o.text !== undefined ? [o.text] : kinds.length > 0 ? kinds.map((k, i) => MIX[k]!(i)) : [MIX.gsm!(0)];
  return {
    urls,
    binds: o.binds,
    window: o.window,
    mode: o.rate !== undefined ? 'open' : 'closed',
    ...(o.rate !== undefined ? { rate: o.rate } : {}),
    ...(o.count !== undefined ? { count: o.count } : {}),
    ...(o.duration !== undefined ? { durationMs: o.duration * 1000 } : {}),
    dlr: o.dlr ?? false,
    receiptWaitMs: (o.receiptWait ?? 10) * 1000,
    messages: texts.map((text) => ({ from: o.from, to: o.to, text, dlr: o.dlr ?? false })),
  };
}

/** Run a load test (also used in-process by the benchmark). */
export async function runLoadTest(s: LoadSetup, onProgress?: (p: LoadProgress) => void): Promise<LoadReport & { binds: number; window: number }> {
  const pool = new Pool({
    binds: s.urls.map((url) => ({ url, count: s.binds, windowSize: s.window, submitTimeoutMs: 0, enquireLinkIntervalMs: 0 })),
    // a load run counts each receipt once: a completed message is forgotten at once (memory stays flat and young;
    // a repeated receipt is then reported as unmatched, not counted twice)
    receiptCompletedTtlMs: 0,
  });
  await pool.connect();
  try {
    const prepared: PreparedMessage[] = s.messages.map((m) => pool.prepare(m));
    const k = prepared.length;
    const run = new LoadRun(
      {
        mode: s.mode,
        ...(s.rate !== undefined ? { rate: s.rate } : {}),
        concurrency: s.binds * s.urls.length * s.window,
        ...(s.count !== undefined ? { count: s.count } : {}),
        ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
        dlr: s.dlr,
        receiptWaitMs: s.receiptWaitMs,
        ...(onProgress ? { onProgress } : {}),
      },
      (i) => pool.submitPrepared(prepared[i % k]!),
    );
    if (s.dlr) pool.on('receipt', (r) => run.recordReceipt(r.stat, r.latencyMs));
    const report = await run.run();
    if (report.receipts) {
      const c = pool.receiptCounters;
      report.receipts.unmatched = c.unmatched + c.held;
      report.receipts.mispaired = c.mispaired;
    }
    return { ...report, binds: s.binds * s.urls.length, window: s.window };
  } finally {
    await pool.close({ drainMs: 0 });
  }
}

function progressLine(p: LoadProgress): string {
  const errs = Object.entries(p.errors).map(([k, v]) => `${k}=${v}`).join(' ') || '-';
  return (
    `[${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s] sent ${p.sent} acked ${p.acknowledged} out ${p.outstanding} ` +
    `rate ${Math.round(p.currentRate)}/s p50 ${p.p50.toFixed(2)}ms p99 ${p.p99.toFixed(2)}ms receipts ${p.receipts} errors ${errs}`
  );
}

export function reportTable(r: LoadReport): string {
  const l = r.latencyMs;
  const rows: Array<[string, string]> = [
    ['mode', r.mode === 'open' ? `open loop at ${r.targetRate}/s` : `closed loop, ${r.concurrency} outstanding`],
    ['sent', String(r.sent)],
    ['acknowledged', String(r.acknowledged)],
    ['failed', r.failed === 0 ? '0' : `${r.failed} (${Object.entries(r.failedByStatus).map(([k, v]) => `${k}: ${v}`).join(', ')})`],
    ['duration', `${(r.durationMs / 1000).toFixed(3)} s`],
    ['throughput', `${r.throughput} submits/s`],
    ['latency p50/p90/p99/p99.9/max', `${l.p50} / ${l.p90} / ${l.p99} / ${l.p999} / ${l.max} ms`],
  ];
  if (r.receipts) {
    const rl = r.receipts.latencyMs;
    rows.push(['receipts', `${r.receipts.received} (${Object.entries(r.receipts.byStat).map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'}), missing ${r.receipts.missing}, unmatched ${r.receipts.unmatched ?? 0}, mis-paired ${r.receipts.mispaired ?? 0}`]);
    rows.push(['end to end', `${r.receipts.throughput} messages/s with their receipt back`]);
    rows.push(['submit→receipt p50/p90/p99/max', `${rl.p50} / ${rl.p90} / ${rl.p99} / ${rl.max} ms`]);
  }
  const w = Math.max(...rows.map((x) => x[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

export async function runLoad(o: LoadCliOptions): Promise<number> {
  let setup: LoadSetup;
  try {
    setup = loadSetup(o);
  } catch (err) {
    process.stderr.write(`esme: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  const tty = process.stderr.isTTY;
  const onProgress = o.quiet ? undefined : (p: LoadProgress) => process.stderr.write(tty ? `\r${progressLine(p)}\x1b[K` : `${progressLine(p)}\n`);
  try {
    const report = await runLoadTest(setup, onProgress);
    if (tty && !o.quiet) process.stderr.write('\n');
    if (o.report) writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(o.json ? JSON.stringify(report) + '\n' : reportTable(report) + '\n');
    const rc = report.receipts;
    return report.failed > 0 || (rc && (rc.missing > 0 || (rc.unmatched ?? 0) > 0 || (rc.mispaired ?? 0) > 0)) ? EXIT.SMPP_FAILURE : EXIT.OK;
  } catch (err) {
    process.stderr.write(`esme: ${errorJson(err).message}\n`);
    return exitCodeOf(err);
  }
}
