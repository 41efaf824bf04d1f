// --html FILE: one self-contained HTML page from a load report (or a merged one): throughput over time, latency
// percentiles over time, the latency percentile distribution, statuses and receipts by stat. Charts are drawn by
// uPlot, inlined with its CSS; the page loads nothing from the network.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { LatencyHistogram } from './latency.js';
import { type LoadResult, modeText } from './report.js';

const require = createRequire(import.meta.url);

function asset(path: string): string {
  return readFileSync(require.resolve(path), 'utf8');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Chart data: columns as uPlot wants them ([x[], y1[], …]); null where an interval has no value. */
export function htmlData(r: LoadResult) {
  const tl = r.timeline ?? [];
  const x = tl.map((s) => s.t);
  const per = (f: (s: (typeof tl)[number]) => number) =>
    tl.map((s) => (s.length > 0 ? Math.round((f(s) / s.length) * 10) / 10 : null));
  const lat = (k: 'p50' | 'p90' | 'p99' | 'max') => tl.map((s) => (s.latencyMs.count > 0 ? s.latencyMs[k] : null));
  const dist = (b64: string | undefined) => {
    if (!b64) return [[], []] as [number[], number[]];
    const points = LatencyHistogram.decode(b64).distribution();
    // x: 1 / (1 - p) on a log axis (the usual HdrHistogram plot); 100 % is drawn at the 99.9999 % position
    return [points.map((p) => 1 / Math.max(1e-6, 1 - p.percentile / 100)), points.map((p) => p.ms)] as [
      number[],
      number[],
    ];
  };
  const receiptDist = dist(r.histograms.receipt);
  return {
    throughput: [
      x,
      per((s) => s.acknowledged),
      per((s) => s.sent),
      per((s) => s.failed),
      per((s) => s.retried),
      per((s) => s.receipts),
    ],
    latency: [x, lat('p50'), lat('p90'), lat('p99'), lat('max')],
    distribution: r.histograms.receipt ? [...dist(r.histograms.submit), receiptDist[1]] : dist(r.histograms.submit),
    hasReceipts: r.receipts !== undefined,
  };
}

function table(title: string, rows: Array<[string, string | number]>): string {
  if (rows.length === 0) return `<h2>${esc(title)}</h2><p>none</p>`;
  return `<h2>${esc(title)}</h2><table><tbody>${rows.map(([k, v]) => `<tr><th>${esc(String(k))}</th><td>${esc(String(v))}</td></tr>`).join('')}</tbody></table>`;
}

export function renderHtmlReport(r: LoadResult): string {
  const data = JSON.stringify(htmlData(r)).replace(/</g, '\\u003c');
  const l = r.latencyMs;
  const title = `esme load report — ${new Date(r.startTime).toISOString()}`;
  const summary: Array<[string, string | number]> = [
    ...(r.merged
      ? [['merged', `${r.merged.reports} reports (${[...new Set(r.merged.hosts)].join(', ')})`] as [string, string]]
      : ([['host', r.host ?? '']] as Array<[string, string]>)),
    ['mode', modeText(r)],
    ['stopped', `${r.stopReason}${r.stopDetail ? `: ${r.stopDetail}` : ''}`],
    ['start / end', `${new Date(r.startTime).toISOString()} / ${new Date(r.endTime).toISOString()}`],
    ['sent', r.sent],
    ['acknowledged', r.acknowledged],
    ['failed', r.failed],
    ['not sent / abandoned / unanswered', `${r.notSent} / ${r.abandoned} / ${r.unanswered}`],
    ['throttled', `${(r.throttle.timeMs / 1000).toFixed(1)} s (${r.throttle.decreases} decreases)`],
    ['duration', `${(r.durationMs / 1000).toFixed(3)} s`],
    ['throughput', `${r.throughput} submits/s`],
    ['latency p50 / p90 / p99 / p99.9 / max', `${l.p50} / ${l.p90} / ${l.p99} / ${l.p999} / ${l.max} ms`],
  ];
  if (r.receipts) {
    const rl = r.receipts.latencyMs;
    summary.push([
      'receipts',
      `${r.receipts.received}, missing ${r.receipts.missing}, ${r.receipts.throughput}/s end to end`,
    ]);
    summary.push(['arrival→receipt p50 / p90 / p99 / max', `${rl.p50} / ${rl.p90} / ${rl.p99} / ${rl.max} ms`]);
  }
  const statusRows = Object.entries(r.statuses).map(
    ([k, v]) =>
      [
        k,
        `${v}${r.retried[k] ? ` (retried ${r.retried[k]})` : ''}${r.failedByStatus[k] ? ` (failed ${r.failedByStatus[k]})` : ''}`,
      ] as [string, string],
  );
  for (const [k, v] of Object.entries(r.failedByStatus))
    if (!(k in r.statuses)) statusRows.push([k, `failed ${v} (no response status: a local error)`]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${asset('uplot/dist/uPlot.min.css')}</style>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}th,td{border:1px solid #ddd;padding:3px 10px;text-align:left}th{background:#f6f6f6;font-weight:600}
.chart{margin:8px 0 24px}</style></head>
<body><h1>${esc(title)}</h1>
${table('Summary', summary)}
<h2>Throughput over time (per second)</h2><div class="chart" id="throughput"></div>
<h2>Submit latency percentiles over time (ms)</h2><div class="chart" id="latency"></div>
<h2>Latency by percentile (ms)</h2><div class="chart" id="distribution"></div>
${table('Statuses the server answered', statusRows)}
${r.receipts ? table('Receipts by stat', Object.entries(r.receipts.byStat)) : ''}
<script>${asset('uplot/dist/uPlot.iife.min.js').replace(/<\/script/gi, '<\\/script')}</script>
<script>
const DATA = ${data};
const W = Math.min(1100, document.body.clientWidth - 20);
const colors = ['#1f77b4', '#2ca02c', '#d62728', '#ff7f0e', '#9467bd'];
const line = (label, i, extra) => Object.assign({ label, stroke: colors[i], width: 1.5, spanGaps: false }, extra || {});
window.__charts = [];
window.__charts.push(new uPlot({ width: W, height: 280, scales: { x: { time: false } },
  series: [{ label: 's' }, line('acknowledged/s', 0), line('sent/s', 1), line('failed/s', 2), line('retried/s', 3), line('receipts/s', 4)],
  axes: [{ label: 'seconds since start' }, { label: 'per second' }] }, DATA.throughput, document.getElementById('throughput')));
window.__charts.push(new uPlot({ width: W, height: 280, scales: { x: { time: false } },
  series: [{ label: 's' }, line('p50', 0), line('p90', 1), line('p99', 3), line('max', 2)],
  axes: [{ label: 'seconds since start' }, { label: 'ms' }] }, DATA.latency, document.getElementById('latency')));
const pct = (v) => { if (!(v >= 1)) return ''; const p = 100 * (1 - 1 / v); return p >= 99.99989 ? 'max' : +p.toFixed(4) + '%'; };
const distSeries = [{ label: 'percentile', value: (u, v) => v == null ? '' : pct(v) }, line('submit→response', 0)];
if (DATA.distribution.length > 2) distSeries.push(line('arrival→receipt', 4));
window.__charts.push(new uPlot({ width: W, height: 300, scales: { x: { time: false, distr: 3 } },
  series: distSeries, axes: [{ label: 'percentile', splits: () => [1, 10, 100, 1e3, 1e4, 1e5, 1e6], values: (u, vals) => vals.map(pct) }, { label: 'ms' }] },
  DATA.distribution, document.getElementById('distribution')));
</script></body></html>
`;
}

export function writeHtmlReport(file: string, r: LoadResult): void {
  try {
    writeFileSync(file, renderHtmlReport(r));
  } catch (err) {
    throw new ConfigError(`--html '${file}' cannot be written: ${(err as Error).message}`);
  }
}
