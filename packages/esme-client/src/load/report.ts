// The load report as a table, and `esme report merge`: reports from several hosts or processes become one —
// counts summed, percentiles from the added HDR histograms (never averaged), throughput over the union of the
// time spans, timelines aligned on wall-clock intervals.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { LatencyHistogram } from './latency.js';
import type { LoadReport, StopReason, TimelineSample } from './types.js';

/** A report as `esme load` writes it (the run plus where it ran); merged ones say what they merged. */
export type LoadResult = LoadReport & {
  binds: number;
  window: number | null;
  host: string;
  merged?: {
    reports: number;
    hosts: string[];
    stopReasons: Record<string, number>;
    modes?: { open: number; closed: number };
  };
};

function list(r: Record<string, number>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export function modeText(r: LoadReport): string {
  const open = r.targetRate !== null ? `open loop at ${r.targetRate}/s` : 'open loop';
  const closed = r.concurrency !== null ? `closed loop, ${r.concurrency} outstanding` : 'closed loop';
  const m = (r as LoadResult).merged;
  if (m?.modes?.open && m.modes.closed)
    return `${m.modes.open} open loop (${r.targetRate ?? '?'}/s in all), ${m.modes.closed} closed loop`;
  return r.mode === 'open' ? open : closed;
}

export function reportTable(r: LoadResult | LoadReport): string {
  const l = r.latencyMs;
  const m = (r as LoadResult).merged;
  const rows: Array<[string, string]> = [];
  if (m) rows.push(['merged', `${m.reports} reports (${[...new Set(m.hosts)].join(', ')})`]);
  rows.push(['mode', modeText(r)]);
  if (r.stopReason !== 'completed' && r.stopReason !== 'duration')
    rows.push(['stopped', `${r.stopReason}${r.stopDetail ? `: ${r.stopDetail}` : ''} (partial report)`]);
  rows.push(['sent', r.attempts !== r.sent ? `${r.sent} (${r.attempts} submit_sm with retries)` : String(r.sent)]);
  rows.push(['acknowledged', String(r.acknowledged)]);
  rows.push(['failed', r.failed === 0 ? '0' : `${r.failed} (${list(r.failedByStatus)})`]);
  rows.push(['retried', Object.keys(r.retried).length === 0 ? '0' : list(r.retried)]);
  rows.push(['statuses', list(r.statuses) || 'none']);
  if (r.notSent > 0)
    rows.push(['not sent', `${r.notSent} (due before sending stopped; held back by the window or rate)`]);
  if (r.abandoned > 0)
    rows.push(['abandoned', `${r.abandoned} (refused with a retryable status when sending had stopped)`]);
  if (r.unanswered > 0) rows.push(['unanswered', `${r.unanswered} (no response within the drain time)`]);
  if (r.throttle.decreases > 0) {
    const t = r.throttle;
    rows.push([
      'throttled',
      `${(t.timeMs / 1000).toFixed(1)} s, ${t.decreases} decreases, window down to ${t.minWindow ?? '-'}${t.minRateCap !== null ? `, rate down to ${t.minRateCap}/s` : ''}`,
    ]);
  }
  rows.push(['duration', `${(r.durationMs / 1000).toFixed(3)} s`]);
  rows.push(['throughput', `${r.throughput} submits/s`]);
  rows.push(['latency p50/p90/p99/p99.9/max', `${l.p50} / ${l.p90} / ${l.p99} / ${l.p999} / ${l.max} ms`]);
  if (r.receipts) {
    const rl = r.receipts.latencyMs;
    rows.push([
      'receipts',
      `${r.receipts.received} (${list(r.receipts.byStat) || 'none'}), missing ${r.receipts.missing}, unmatched ${r.receipts.unmatched ?? 0}, mis-paired ${r.receipts.mispaired ?? 0}`,
    ]);
    rows.push(['end to end', `${r.receipts.throughput} messages/s with their receipt back`]);
    rows.push(['arrival→receipt p50/p90/p99/max', `${rl.p50} / ${rl.p90} / ${rl.p99} / ${rl.max} ms`]);
  }
  const w = Math.max(...rows.map((x) => x[0].length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

function sum(target: Record<string, number>, src: Record<string, number> | undefined): void {
  for (const [k, v] of Object.entries(src ?? {})) target[k] = (target[k] ?? 0) + v;
}

const STOP_ORDER: StopReason[] = ['smsc-gone', 'SIGTERM', 'SIGINT', 'stopped', 'duration', 'completed'];

/** Read and check one report file. */
export function readReport(file: string): LoadResult {
  let r: LoadResult;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as LoadResult;
  } catch (err) {
    throw new ConfigError(`report '${file}' cannot be read as JSON: ${(err as Error).message}`);
  }
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.histograms?.submit !== 'string' ||
    typeof r.startTime !== 'number'
  ) {
    throw new ConfigError(`report '${file}' has no histograms or start time (write it with esme load --report FILE)`);
  }
  return r;
}

export function mergeReports(reports: LoadResult[]): LoadResult {
  if (reports.length === 0) throw new ConfigError('report merge needs at least one report');
  const startTime = Math.min(...reports.map((r) => r.startTime));
  const endTime = Math.max(...reports.map((r) => r.endTime));
  const durationMs = endTime - startTime;
  const latency = new LatencyHistogram();
  for (const r of reports) latency.add(LatencyHistogram.decode(r.histograms.submit, r.latencyMs?.max));
  const failedByStatus: Record<string, number> = {};
  const retried: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const stopReasons: Record<string, number> = {};
  const total = (f: (r: LoadResult) => number) => reports.reduce((a, r) => a + (f(r) ?? 0), 0);
  for (const r of reports) {
    sum(failedByStatus, r.failedByStatus);
    sum(retried, r.retried);
    sum(statuses, r.statuses);
    stopReasons[r.stopReason] = (stopReasons[r.stopReason] ?? 0) + 1;
  }
  const acknowledged = total((r) => r.acknowledged);
  const modes = new Set(reports.map((r) => r.mode));
  const mode = modes.size === 1 ? reports[0]!.mode : 'open';
  const windows = new Set(reports.map((r) => r.window));
  const minOf = (xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length > 0 ? Math.min(...v) : null;
  };
  const merged: LoadResult = {
    startTime,
    endTime,
    mode,
    targetRate: reports.some((r) => r.targetRate !== null) ? total((r) => r.targetRate ?? 0) : null,
    concurrency: reports.every((r) => r.concurrency !== null) ? total((r) => r.concurrency!) : null,
    stopReason: STOP_ORDER.find((s) => stopReasons[s]) ?? 'completed',
    sent: total((r) => r.sent),
    attempts: total((r) => r.attempts ?? r.sent),
    acknowledged,
    failed: total((r) => r.failed),
    failedByStatus,
    retried,
    statuses,
    notSent: total((r) => r.notSent),
    abandoned: total((r) => r.abandoned),
    unanswered: total((r) => r.unanswered),
    throttle: {
      decreases: total((r) => r.throttle?.decreases ?? 0),
      timeMs: total((r) => r.throttle?.timeMs ?? 0),
      minWindow: minOf(reports.map((r) => r.throttle?.minWindow ?? null)),
      minRateCap: minOf(reports.map((r) => r.throttle?.minRateCap ?? null)),
    },
    durationMs,
    throughput: durationMs > 0 ? Math.round((acknowledged * 1000 * 10) / durationMs) / 10 : 0,
    latencyMs: latency.summary(),
    intervalMs: Math.max(...reports.map((r) => r.intervalMs ?? 1000)),
    timeline: mergeTimelines(reports, startTime),
    histograms: { unit: 'us', submit: latency.encode() },
    binds: total((r) => r.binds),
    window: windows.size === 1 ? reports[0]!.window : null,
    host: [...new Set(reports.map((r) => r.host))].join(','),
    merged: {
      reports: reports.length,
      hosts: reports.map((r) => r.host ?? '?'),
      stopReasons,
      modes: {
        open: reports.filter((r) => r.mode === 'open').length,
        closed: reports.filter((r) => r.mode === 'closed').length,
      },
    },
  };
  const withReceipts = reports.filter((r) => r.receipts && r.histograms.receipt);
  if (withReceipts.length > 0) {
    const rl = new LatencyHistogram();
    const byStat: Record<string, number> = {};
    for (const r of withReceipts) {
      rl.add(LatencyHistogram.decode(r.histograms.receipt!, r.receipts!.latencyMs?.max));
      sum(byStat, r.receipts!.byStat);
    }
    const received = withReceipts.reduce((a, r) => a + r.receipts!.received, 0);
    const lastAt = Math.max(...withReceipts.map((r) => r.receipts!.lastAt ?? 0));
    merged.receipts = {
      received,
      byStat,
      latencyMs: rl.summary(),
      missing: withReceipts.reduce((a, r) => a + r.receipts!.missing, 0),
      unmatched: withReceipts.reduce((a, r) => a + (r.receipts!.unmatched ?? 0), 0),
      mispaired: withReceipts.reduce((a, r) => a + (r.receipts!.mispaired ?? 0), 0),
      lastAt: lastAt > 0 ? lastAt : null,
      throughput:
        received > 0 && lastAt > startTime ? Math.round((received * 1000 * 10) / (lastAt - startTime)) / 10 : 0,
    };
    merged.histograms.receipt = rl.encode();
  }
  return merged;
}

/** Timelines on wall-clock buckets of the longest interval: counts summed, histograms added. */
function mergeTimelines(reports: LoadResult[], startTime: number): TimelineSample[] {
  const iv = Math.max(...reports.map((r) => r.intervalMs ?? 1000));
  const buckets = new Map<
    number,
    { s: TimelineSample; h: LatencyHistogram; rh: LatencyHistogram | undefined; windows: Array<number | null> }
  >();
  for (const r of reports) {
    for (const s of r.timeline ?? []) {
      const at = r.startTime + s.t * 1000;
      const key = Math.floor((at - startTime) / iv);
      let b = buckets.get(key);
      if (!b) {
        b = {
          s: {
            t: (key * iv) / 1000,
            length: iv / 1000,
            sent: 0,
            acknowledged: 0,
            failed: 0,
            retried: 0,
            receipts: 0,
            latencyMs: { p50: 0, p90: 0, p99: 0, max: 0, count: 0 },
            histogram: '',
            window: null,
          },
          h: new LatencyHistogram(),
          rh: undefined,
          windows: [],
        };
        buckets.set(key, b);
      }
      b.s.sent += s.sent;
      b.s.acknowledged += s.acknowledged;
      b.s.failed += s.failed;
      b.s.retried += s.retried;
      b.s.receipts += s.receipts;
      if (s.histogram) b.h.add(LatencyHistogram.decode(s.histogram, s.latencyMs?.max));
      if (s.receiptHistogram) (b.rh ??= new LatencyHistogram()).add(LatencyHistogram.decode(s.receiptHistogram));
      b.windows.push(s.window);
    }
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, b]) => {
      const l = b.h.summary();
      b.s.latencyMs = { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, count: l.count };
      b.s.histogram = b.h.encode();
      if (b.rh) b.s.receiptHistogram = b.rh.encode();
      b.s.window = b.windows.every((w) => w !== null) ? b.windows.reduce((a, w) => a! + w!, 0) : null;
      return b.s;
    });
}
