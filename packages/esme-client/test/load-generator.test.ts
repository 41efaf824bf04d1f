// The load generator against scripted servers (no sockets): every status counted, MSGQFUL/THROTTLED retried
// with the window/rate adapting (AIMD), --duration bounding the run with a drain, stop() for signals, the ramp,
// and report figures that agree with each other.
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, type LoadReport, LoadRun, SmppStatusError } from '../src/index.js';

const MSGQFUL = 0x14;
const THROTTLED = 0x58;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server that answers MSGQFUL when more than `window` submits are outstanding. */
function windowedServer(window: number, serviceMs: number) {
  let outstanding = 0;
  const s = { maxSeen: 0, refused: 0, accepted: 0 };
  const submit = async () => {
    outstanding++;
    try {
      if (outstanding > window) {
        s.refused++;
        await later(1);
        throw new SmppStatusError(MSGQFUL, 'submit_sm', 1);
      }
      s.maxSeen = Math.max(s.maxSeen, outstanding);
      await later(serviceMs);
      s.accepted++;
    } finally {
      outstanding--;
    }
  };
  return { s, submit };
}

/**
 * The two half-second intervals of an open-loop run with `N(t)` arrivals due by t seconds: the first counts what
 * was due by where its timer closed it — more than `atLeast` (what was due a little before its nominal end: the
 * sends due before it run first), never more than was due by its actual end (nothing goes early). A loaded
 * machine's timer closes it late and it counts more, so its nominal count is no upper bound; the second has the
 * rest, at the higher rate.
 */
function expectIntervals(report: LoadReport, N: (s: number) => number, atLeast: number): void {
  const [first, second] = report.timeline;
  expect(first!.sent).toBeGreaterThan(atLeast);
  expect(first!.sent).toBeLessThanOrEqual(Math.floor(N(first!.length)) + 1);
  expect(first!.sent + second!.sent).toBe(report.sent);
}

describe('LoadRun', () => {
  it('MSGQFUL: retried and counted beside failed, the effective window comes down to the server window and stays near it', async () => {
    const { s, submit } = windowedServer(5, 3);
    const report = await new LoadRun({ mode: 'closed', concurrency: 20, count: 600 }, submit).run();
    expect(report.acknowledged).toBe(600);
    expect(report.failed).toBe(0);
    expect(report.retried.ESME_RMSGQFUL).toBe(s.refused);
    expect(report.statuses).toEqual({ ESME_ROK: 600, ESME_RMSGQFUL: s.refused });
    expect(report.attempts).toBe(600 + s.refused);
    expect(report.throttle.minWindow).toBeLessThanOrEqual(5);
    expect(report.throttle.decreases).toBeGreaterThan(0);
    expect(report.throttle.timeMs).toBeGreaterThan(0);
    // AIMD probes one above the server's window now and then, not a full window of refusals per round trip
    expect(s.refused / 600).toBeLessThan(1 / 2);
  });

  it('without adapting, the same server refuses most of a 20-window (what the AIMD test guards against)', async () => {
    const { s, submit } = windowedServer(5, 3);
    const report = await new LoadRun({ mode: 'closed', concurrency: 20, count: 200, adaptive: false }, submit).run();
    expect(report.failedByStatus.ESME_RMSGQFUL).toBe(s.refused);
    expect(s.refused / 200).toBeGreaterThan(3 / 4);
  });

  it('THROTTLED: the send rate is capped and recovers; every message is acknowledged', async () => {
    // a server with a 150/s token bucket (burst 5)
    let tokens = 5;
    let at = performance.now();
    const submit = async () => {
      const now = performance.now();
      tokens = Math.min(5, tokens + ((now - at) * 150) / 1000);
      at = now;
      await later(1);
      if (tokens < 1) throw new SmppStatusError(THROTTLED, 'submit_sm', 1);
      tokens -= 1;
    };
    const report = await new LoadRun({ mode: 'open', rate: 600, count: 300, concurrency: 50 }, submit).run();
    expect(report.acknowledged).toBe(300);
    expect(report.failed).toBe(0);
    expect(report.retried.ESME_RTHROTTLED).toBeGreaterThan(0);
    expect(report.throttle.minRateCap).not.toBeNull();
    expect(report.throttle.minRateCap!).toBeLessThan(600);
  });

  it('--duration bounds sending; submits still in flight get the drain time, then count as unanswered', async () => {
    let n = 0;
    const submit = () => (n++ % 10 === 9 ? new Promise<void>(() => undefined) : later(2));
    const t0 = performance.now();
    const report = await new LoadRun(
      { mode: 'open', rate: 200, durationMs: 500, drainMs: 300, concurrency: 100 },
      submit,
    ).run();
    const took = performance.now() - t0;
    expect(report.stopReason).toBe('duration');
    expect(took).toBeGreaterThanOrEqual(800 - 20);
    expect(took).toBeLessThan(5000); // not the 10 s default drain (a loaded machine's timers run late)
    expect(report.unanswered).toBe(Math.floor(report.sent / 10));
    expect(report.acknowledged + report.unanswered).toBe(report.sent);
  });

  it('stop() (a signal) ends sending at once and gives the partial report', async () => {
    const run = new LoadRun({ mode: 'open', rate: 500, durationMs: 60_000, concurrency: 10 }, () => later(1));
    let stoppedAfter = 0;
    const t0 = performance.now();
    setTimeout(() => {
      stoppedAfter = performance.now() - t0;
      run.stop('SIGINT');
    }, 200);
    const report = await run.run();
    expect(report.stopReason).toBe('SIGINT');
    // measured from the signal, not from a 200 ms timer a loaded machine may run late
    expect(report.durationMs).toBeLessThan(stoppedAfter + 800);
    expect(report.acknowledged).toBe(report.sent);
    expect(report.sent).toBeGreaterThan(20);
  });

  it('a ramp: arrivals rise from the start rate to the end rate', async () => {
    // N(t) = 100 t + 200 t² (t in s): 100 in the first half second, 200 in the second
    const N = (s: number) => 100 * s + 200 * s ** 2;
    const report = await new LoadRun(
      { mode: 'open', rateFrom: 100, rate: 500, rampMs: 1000, durationMs: 1000, intervalMs: 500 },
      () => Promise.resolve(),
    ).run();
    expect(report.sent).toBeGreaterThanOrEqual(299);
    expect(report.sent).toBeLessThanOrEqual(301);
    expectIntervals(report, N, 90);
  });

  it('the timeline and the histograms agree with the totals', async () => {
    const report = await new LoadRun({ mode: 'closed', concurrency: 4, count: 400, intervalMs: 50 }, () =>
      later(1),
    ).run();
    const sum = (k: 'sent' | 'acknowledged') => report.timeline.reduce((a, s) => a + s[k], 0);
    expect(sum('sent')).toBe(400);
    expect(sum('acknowledged')).toBe(400);
    const merged = new LatencyHistogram();
    for (const s of report.timeline) merged.add(LatencyHistogram.decode(s.histogram, s.latencyMs.max));
    expect(merged.summary()).toEqual(LatencyHistogram.decode(report.histograms.submit, report.latencyMs.max).summary());
    expect(report.latencyMs).toEqual(merged.summary());
  });
});

describe('LatencyHistogram', () => {
  it('no percentile above the max (a bucket edge can be above the largest value)', () => {
    const h = new LatencyHistogram();
    h.record(2.049);
    h.record(100.001);
    const s = h.summary();
    expect(s.max).toBe(100.001);
    expect(s.p999).toBeLessThanOrEqual(s.max);
    expect(s.p99).toBeLessThanOrEqual(s.max);
    expect(h.percentileMs(100)).toBe(100.001);
  });

  it('encodes to HdrHistogram compressed base64 and back', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10);
    const back = LatencyHistogram.decode(h.encode(), h.summary().max);
    expect(back.summary()).toEqual(h.summary());
    // without the exact max, the max is its bucket's upper edge, and no percentile is above it
    const edge = LatencyHistogram.decode(h.encode()).summary();
    expect(edge.max).toBeGreaterThanOrEqual(100);
    expect(edge.p999).toBeLessThanOrEqual(edge.max);
    expect(h.encode()).toMatch(/^HISTF/); // the V2 compressed cookie, as HdrHistogram writes it
  });
});

describe('Schedule (open-loop arrivals)', () => {
  it('constant, ramp and steps: due times and counts agree', async () => {
    const { Schedule } = await import('../src/load/schedule.js');
    const c = Schedule.constant(200);
    expect(c.offsetOf(0)).toBe(0);
    expect(c.offsetOf(200)).toBeCloseTo(1000);
    expect(c.countBy(1000)).toBe(200);
    // ramp 100 → 500 over 1 s: N(t) = 100 t + 200 t², then 500/s
    const r = Schedule.ramp(100, 500, 1000);
    expect(r.countBy(500)).toBe(100);
    expect(r.countBy(1000)).toBe(300);
    expect(r.offsetOf(300)).toBeCloseTo(1000);
    expect(r.offsetOf(800)).toBeCloseTo(2000);
    expect(r.rateAt(500)).toBe(300);
    // steps 100, 300, 50 of 1 s each, the last held
    const s = Schedule.steps([100, 300, 50], 1000);
    expect(s.countBy(1000)).toBe(100);
    expect(s.countBy(2000)).toBe(400);
    expect(s.countBy(4000)).toBe(500);
    expect(s.offsetOf(100)).toBeCloseTo(1000);
    expect(s.offsetOf(250)).toBeCloseTo(1500);
    expect(s.offsetOf(450)).toBeCloseTo(3000);
    expect(s.rateAt(2500)).toBe(50);
    for (let i = 0; i < 600; i += 7) expect(s.countBy(s.offsetOf(i) + 1e-6)).toBe(i + 1);
  });

  it('steps in a run: each interval runs at its step', async () => {
    // 100/s for half a second, then 400/s: N(t) = 100 t, then 50 + 400 (t − 0.5)
    const N = (s: number) => (s <= 0.5 ? 100 * s : 50 + 400 * (s - 0.5));
    const report = await new LoadRun(
      { mode: 'open', rate: 100, steps: [100, 400], stepMs: 500, durationMs: 1000, intervalMs: 500 },
      () => Promise.resolve(),
    ).run();
    expect(report.sent).toBeGreaterThanOrEqual(249);
    expect(report.sent).toBeLessThanOrEqual(251);
    expectIntervals(report, N, 40);
  });
});
