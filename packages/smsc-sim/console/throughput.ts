// The Throughput view: submits, receipts and MO per second from the SSE `tick` events (one a second), kept for
// the last 15 minutes and drawn with uPlot (vendor/uPlot.iife.min.js, loaded before this module).
import type UPlot from 'uplot';
import { byId, el, fmtNum } from './dom.js';
import type { Tick } from './types.js';

const KEEP = 900;
const ticks: Tick[] = [];
let chart: UPlot | null = null;
let visible = false;

const SERIES = [
  { key: 'submits', label: 'submits/s', stroke: '#1f6feb' },
  { key: 'receipts', label: 'receipts/s', stroke: '#1a7f37' },
  { key: 'mo', label: 'MO/s', stroke: '#bf5b00' },
] as const;

const span = () => Number(byId<HTMLSelectElement>('tp-span').value);

function shown(): Tick[] {
  const from = Date.now() - span() * 1000;
  return ticks.filter((t) => t.t >= from);
}

function data(list: Tick[]): UPlot.AlignedData {
  return [list.map((t) => t.t / 1000), ...SERIES.map((s) => list.map((t) => t[s.key]))];
}

function size() {
  const box = byId('tp-chart');
  return { width: Math.max(320, box.clientWidth), height: Math.min(420, Math.max(220, window.innerHeight - 330)) };
}

function create(): UPlot {
  const UPlotCtor = (window as unknown as { uPlot: typeof UPlot }).uPlot;
  const opts: UPlot.Options = {
    ...size(),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, max * 1.1)] } },
    axes: [{}, { label: 'per second', size: 60 }],
    series: [{ label: 'time' }, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
  };
  const c = new UPlotCtor(opts, data(shown()), byId('tp-chart'));
  window.addEventListener('resize', () => chart?.setSize(size()));
  return c;
}

function totals(list: Tick[]) {
  const last = list.at(-1);
  const items = SERIES.flatMap((s) => {
    const sum = list.reduce((a, t) => a + t[s.key], 0);
    const peak = list.reduce((a, t) => Math.max(a, t[s.key]), 0);
    return [
      el('dt', {}, s.label.replace('/s', '')),
      el(
        'dd',
        { 'data-total': s.key },
        fmtNum(sum),
        el('span', { class: 'dim' }, ` · now ${last ? last[s.key] : 0}/s · peak ${peak}/s`),
      ),
    ];
  });
  byId('tp-totals').replaceChildren(...items);
}

function draw() {
  if (!visible) return;
  const list = shown();
  chart ??= create();
  chart.setData(data(list));
  totals(list);
}

export function addTick(t: Tick): void {
  ticks.push(t);
  if (ticks.length > KEEP) ticks.splice(0, ticks.length - KEEP);
  draw();
}

export function showThroughput(on: boolean): void {
  visible = on;
  if (on) {
    if (chart) chart.setSize(size());
    draw();
  }
}

export function initThroughput(): void {
  byId('tp-span').addEventListener('change', draw);
  // for the browser tests and anyone curious: the series the chart is drawing
  (window as unknown as { __throughput: () => UPlot.AlignedData | null }).__throughput = () => chart?.data ?? null;
}
