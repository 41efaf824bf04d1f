// The load generator's public shapes: what a run is told (LoadOptions, SubmitFn), what it tells as it goes
// (LoadProgress, TimelineSample) and what it reports at the end (LoadReport, StopReason). Types only.
import type { LatencyHistogram, LatencySummary } from './latency.js';

export interface LoadOptions {
  /** 'open': arrivals at `rate`; 'closed': keep `concurrency` submits outstanding. */
  mode: 'open' | 'closed';
  /** Arrivals per second (open loop); with `rampMs`, the rate reached at the end of the ramp. */
  rate?: number;
  /** Ramp: the rate at the start, rising linearly to `rate` over `rampMs`. */
  rateFrom?: number;
  rampMs?: number;
  /** Steps: these rates, `stepMs` each, the last held (`rate` is then the last). */
  steps?: number[];
  stepMs?: number;
  /** Most submits outstanding at once (binds × window). Closed loop: required; open loop: default unlimited. */
  concurrency?: number;
  /** Stop after this many messages … */
  count?: number;
  /** … or after this long (ms, wall clock bound on sending). At least one of count/duration. */
  durationMs?: number;
  /** After sending stops, wait this long for the responses of submits in flight (ms); default 10 000. */
  drainMs?: number;
  /** After the responses, wait this long for receipts still missing (ms); 0 = do not wait. */
  receiptWaitMs?: number;
  /** Expect receipts (one per acknowledged submit). */
  dlr?: boolean;
  /** Retry MSGQFUL/THROTTLED and adapt the window/rate to them (default true). */
  adaptive?: boolean;
  /** Attempts per message for a retryable status (default 10). */
  maxAttempts?: number;
  /** Called about once a second. */
  onProgress?: (p: LoadProgress) => void;
  progressIntervalMs?: number;
  /** Timeline interval (ms, default 1000): one sample (and interval histograms) per interval. */
  intervalMs?: number;
  /** Each interval's histograms as it closes (for an HdrHistogram interval log). */
  onInterval?: (startEpochMs: number, endEpochMs: number, submit: LatencyHistogram, receipt: LatencyHistogram) => void;
}

/** Where one submit ends, when the SubmitFn reports through it rather than a promise: once (a call made while the
 *  SubmitFn itself runs is deferred to a microtask, so a submit failing at once cannot recurse into the next). */
export interface SubmitOutcome {
  ok(): void;
  fail(err: unknown): void;
}

/** One submit: resolve when acknowledged; reject with an error carrying statusName (or code). Or return nothing
 *  and tell `done` (no promise per message). `intendedAt` (performance.now() time) is the message's arrival, for
 *  receipt latency. */
export type SubmitFn = (index: number, intendedAt: number, done: SubmitOutcome) => Promise<unknown> | undefined;

export type StopReason = 'completed' | 'duration' | 'SIGINT' | 'SIGTERM' | 'smsc-gone' | 'stopped';

export interface LoadProgress {
  elapsedMs: number;
  sent: number;
  acknowledged: number;
  failed: number;
  outstanding: number;
  /** Acknowledgements per second over the last interval. */
  currentRate: number;
  p50: number;
  p99: number;
  /** Final failures by status (or error code). */
  errors: Record<string, number>;
  /** Responses with a retryable status that were retried, by status. */
  retried: Record<string, number>;
  receipts: number;
  /** Effective window (null = unlimited) and rate cap (null = none) after throttling; the configured window. */
  window: number | null;
  windowMax: number | null;
  rateCap: number | null;
  throttledMs: number;
}

export interface TimelineSample {
  /** Interval start, seconds since the run's start; length in seconds. */
  t: number;
  length: number;
  sent: number;
  acknowledged: number;
  failed: number;
  retried: number;
  receipts: number;
  /** Submit latency of the interval (ms). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; count: number };
  /** The interval's HDR histograms, compressed base64 (µs). */
  histogram: string;
  receiptHistogram?: string;
  window: number | null;
}

export interface LoadReport {
  /** Epoch ms of the start and of the end of the sending phase / last response. */
  startTime: number;
  endTime: number;
  mode: 'open' | 'closed';
  targetRate: number | null;
  concurrency: number | null;
  stopReason: StopReason;
  stopDetail?: string;
  /** Messages sent at least once; submit_sm attempts including retries. */
  sent: number;
  attempts: number;
  acknowledged: number;
  failed: number;
  failedByStatus: Record<string, number>;
  /** Responses with a retryable status, retried, by status. */
  retried: Record<string, number>;
  /** Every command_status the server answered, retried ones included. */
  statuses: Record<string, number>;
  /** Open loop: arrivals due before sending stopped that were never sent (the window or rate held them back). */
  notSent: number;
  /** Refused with a retryable status when sending had stopped, or waiting for their retry then. */
  abandoned: number;
  /** Still without a response when the drain time ran out. */
  unanswered: number;
  throttle: { decreases: number; timeMs: number; minWindow: number | null; minRateCap: number | null };
  durationMs: number;
  /** Acknowledged submits per second over the sending phase. */
  throughput: number;
  /** submit → response latency (ms); open loop: from the intended send time. */
  latencyMs: LatencySummary;
  receipts?: {
    received: number;
    byStat: Record<string, number>;
    /** arrival (intended send time) → receipt latency (ms). */
    latencyMs: LatencySummary;
    missing: number;
    /** Receipts the client could not pair with any submit (reported, or still held at the end). */
    unmatched?: number;
    /**
     * Receipts paired before the link's id form was learned that the learned form contradicts. (A pairing is never
     * guessed: with unmatched and missing 0 as well, every receipt went to its own submit.)
     */
    mispaired?: number;
    /** Epoch ms of the last receipt (null: none), for throughput over merged runs. */
    lastAt: number | null;
    /** Messages whose receipt arrived, per second from the start to the last receipt: the sustained rate
     *  end to end, which a server that accepts faster than it reports cannot inflate. */
    throughput: number;
  };
  intervalMs: number;
  timeline: TimelineSample[];
  /** The whole run's HDR histograms, HdrHistogram compressed base64, values in µs (what `esme report merge` adds). */
  histograms: { unit: 'us'; submit: string; receipt?: string };
}
