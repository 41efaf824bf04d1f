// esme load: drive binds at a fixed (or ramped) arrival rate (open loop) or at full window (closed loop), report
// latency percentiles, throughput, every status the server answered and, with --dlr, receipts. The JSON report
// carries its HDR histograms so reports from several hosts merge (`esme report merge`).
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { type Address, parseAddress, parseDestination } from '../address.js';
import { ConfigError } from '../errors.js';
import { LoadRun } from '../load/generator.js';
import { HlogWriter } from '../load/hlog.js';
import { writeHtmlReport } from '../load/html.js';
import { type LoadResult, reportTable } from '../load/report.js';
import type { LoadProgress, StopReason } from '../load/types.js';
import type { PreparedMessage, SubmitMessage } from '../message-builder.js';
import { defaultOptions } from '../options.js';
import { Pool } from '../pool.js';
import { EXIT, errorJson, exitCodeOf, urlFrom } from './common.js';

export { type LoadResult, reportTable } from '../load/report.js';

export interface LoadCliOptions {
  url?: string[];
  binds: number;
  window: number;
  rate?: string | number;
  ramp?: string;
  step?: string;
  unlimited?: boolean;
  count?: number;
  duration?: number;
  drain?: number;
  maxReconnects?: number;
  dlr?: boolean;
  receiptWait?: number;
  text?: string;
  texts?: string;
  mix?: string;
  from: string;
  to: string;
  toRandom?: string;
  country?: string;
  report?: string;
  json?: boolean;
  quiet?: boolean;
  hlog?: string;
  html?: string;
  interval?: number;
}

/** The message kinds of --mix. */
export const MIX: Record<string, (i: number) => string> = {
  gsm: () => 'Load test message: your code is 123456. Reply STOP to opt out.',
  ucs2: () => 'Нагрузочный тест: ваш код 123456 ✓',
  long: () => 'This is a long load-test message that needs two parts. '.repeat(4).trim(),
  emoji: () => 'Load test 😀👍 your code is 123456',
};

/** Where the destinations come from: one number, a range walked in order, or a prefix plus random digits. */
export type Destinations =
  | { kind: 'one'; to: Required<Address> }
  | { kind: 'range'; first: bigint; size: bigint; width: number }
  | { kind: 'random'; prefix: string; digits: number };

export interface LoadSetup {
  urls: string[];
  binds: number;
  window: number;
  mode: 'open' | 'closed';
  rate?: number;
  rateFrom?: number;
  rampMs?: number;
  steps?: number[];
  stepMs?: number;
  count?: number;
  durationMs?: number;
  drainMs?: number;
  /** Reconnect attempts per bind before the run stops (undefined: forever). */
  maxReconnects?: number;
  dlr: boolean;
  receiptWaitMs: number;
  /** Messages cycled through (the destination of each is replaced when `destinations` is a range or random). */
  messages: SubmitMessage[];
  destinations?: Destinations;
  intervalMs?: number;
}

/** '60s', '2m', '500ms', '1h' or plain seconds → ms. */
export function parseDuration(v: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new ConfigError(`${name} '${v}' is not a duration (e.g. 60s, 2m, 500ms, or seconds)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n * 3_600_000;
  if (!(ms > 0)) throw new ConfigError(`${name} '${v}' is not a duration > 0`);
  return ms;
}

function parseRate(v: string | number): { from?: number; to: number; steps?: number[] } {
  const s = String(v).trim();
  if (s.includes(',')) {
    const steps = s.split(',').map((x) => Number(x.trim()));
    if (steps.some((x) => !Number.isFinite(x) || x <= 0))
      throw new ConfigError(`--rate '${s}': every step must be a number > 0 (e.g. 100,500,1000)`);
    return { to: steps[steps.length - 1]!, steps };
  }
  const m = /^(\d+(?:\.\d+)?)\s*\.\.\s*(\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const from = Number(m[1]);
    const to = Number(m[2]);
    if (!(from > 0) || !(to > 0)) throw new ConfigError(`--rate '${s}': both ends of a ramp must be > 0`);
    return { from, to };
  }
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n <= 0)
    throw new ConfigError(`--rate '${s}' is not a number > 0 or a ramp FROM..TO (e.g. 100..5000)`);
  return { to: n };
}

function parseDestinations(o: LoadCliOptions): Destinations {
  const opts = { lenient: true, allowShortCodes: true, ...(o.country ? { country: o.country } : {}) };
  if (o.toRandom !== undefined) {
    const m = /^(\+?\d*):(\d+)$/.exec(o.toRandom.trim());
    if (!m)
      throw new ConfigError(
        `--to-random '${o.toRandom}' is not PREFIX:DIGITS (e.g. 47900:5 for 47900 and 5 random digits)`,
      );
    const prefix = m[1]!.replace(/^\+/, '');
    const digits = Number(m[2]);
    if (digits < 1 || prefix.length + digits > 15)
      throw new ConfigError(
        `--to-random '${o.toRandom}': prefix and random digits make ${prefix.length + digits} digits, 1..15 allowed`,
      );
    parseDestination(prefix + '0'.repeat(digits), { ...opts, field: '--to-random' });
    return { kind: 'random', prefix, digits };
  }
  const range = /^\+?(\d+)\s*-\s*\+?(\d+)$/.exec(o.to.trim());
  if (range && range[1]!.length >= 3 && range[1]!.length === range[2]!.length) {
    const first = BigInt(range[1]!);
    const last = BigInt(range[2]!);
    if (last < first) throw new ConfigError(`--to '${o.to}': the range ends before it starts`);
    parseDestination(range[1]!, { ...opts, field: '--to (first of the range)' });
    parseDestination(range[2]!, { ...opts, field: '--to (last of the range)' });
    return { kind: 'range', first, size: last - first + 1n, width: range[1]!.length };
  }
  return { kind: 'one', to: parseDestination(o.to, { ...opts, field: '--to' }) };
}

function readTexts(file: string): string[] {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`--texts '${file}' cannot be read: ${(err as Error).message}`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new ConfigError(`--texts '${file}' has no text (one message per line)`);
  return lines;
}

export function loadSetup(o: LoadCliOptions): LoadSetup {
  const urls = o.url && o.url.length > 0 ? o.url : [urlFrom(undefined)];
  if (o.rate !== undefined && o.unlimited) throw new ConfigError('give --rate or --unlimited, not both');
  if (o.rate === undefined && !o.unlimited)
    throw new ConfigError('give --rate R (open loop) or --unlimited (closed loop at full window)');
  if (o.count === undefined && o.duration === undefined) throw new ConfigError('give --count N or --duration SECONDS');
  if ([o.text, o.mix, o.texts].filter((x) => x !== undefined).length > 1)
    throw new ConfigError('give one of --text, --texts or --mix');
  const rate = o.rate !== undefined ? parseRate(o.rate) : undefined;
  let rampMs: number | undefined;
  if (o.ramp !== undefined) {
    if (!rate) throw new ConfigError('--ramp needs --rate FROM..TO');
    rampMs = parseDuration(o.ramp, '--ramp');
  }
  if (rate?.from !== undefined && rampMs === undefined)
    throw new ConfigError(`--rate ${rate.from}..${rate.to} needs --ramp DURATION (e.g. --ramp 60s)`);
  if (rampMs !== undefined && rate?.from === undefined)
    throw new ConfigError('--ramp needs --rate FROM..TO (e.g. --rate 100..5000)');
  let stepMs: number | undefined;
  if (o.step !== undefined) {
    if (!rate?.steps) throw new ConfigError('--step needs --rate with steps (e.g. --rate 100,500,1000 --step 10s)');
    stepMs = parseDuration(o.step, '--step');
  }
  if (rate?.steps && stepMs === undefined)
    throw new ConfigError(`--rate ${rate.steps.join(',')} needs --step DURATION (e.g. --step 10s)`);
  const kinds = o.mix ? o.mix.split(',').map((k) => k.trim()) : [];
  for (const k of kinds)
    if (!MIX[k]) throw new ConfigError(`--mix '${k}' is not one of ${Object.keys(MIX).join(', ')}`);
  const texts =
    o.text !== undefined
      ? [o.text]
      : o.texts !== undefined
        ? readTexts(o.texts)
        : kinds.length > 0
          ? kinds.map((k, i) => MIX[k]!(i))
          : [MIX.gsm!(0)];
  const froms = o.from.split(',').map((f) => f.trim());
  for (const f of froms) parseAddress(f, '--from');
  const destinations = parseDestinations(o);
  const to = destinations.kind === 'one' ? destinations.to : { addr: destinationOf(destinations, 0), ton: 1, npi: 1 };
  // Every (sender, text) pair is prepared once; the sender cycles fastest.
  const messages: SubmitMessage[] = [];
  for (const text of texts) for (const from of froms) messages.push({ from, to, text, dlr: o.dlr ?? false });
  return {
    urls,
    binds: o.binds,
    window: o.window,
    mode: rate ? 'open' : 'closed',
    ...(rate ? { rate: rate.to } : {}),
    ...(rate?.from !== undefined ? { rateFrom: rate.from, rampMs: rampMs! } : {}),
    ...(rate?.steps ? { steps: rate.steps, stepMs: stepMs! } : {}),
    ...(o.count !== undefined ? { count: o.count } : {}),
    ...(o.duration !== undefined ? { durationMs: o.duration * 1000 } : {}),
    drainMs: (o.drain ?? 10) * 1000,
    maxReconnects: o.maxReconnects ?? 3,
    dlr: o.dlr ?? false,
    receiptWaitMs: (o.receiptWait ?? 10) * 1000,
    messages,
    ...(destinations.kind !== 'one' ? { destinations } : {}),
    intervalMs: (o.interval ?? 1) * 1000,
  };
}

/** Destination of message i. */
function destinationOf(d: Destinations, i: number): string {
  if (d.kind === 'one') return d.to.addr;
  if (d.kind === 'range') return (d.first + (BigInt(i) % d.size)).toString().padStart(d.width, '0');
  let s = d.prefix;
  for (let k = 0; k < d.digits; k++) s += String(Math.floor(Math.random() * 10));
  return s;
}

export interface LoadHooks {
  onProgress?: (p: LoadProgress) => void;
  /** The run, once started (signals call run.stop). */
  onStart?: (run: LoadRun) => void;
  hlog?: HlogWriter;
  /** Connection events worth telling a person (bind lost, reconnecting, given up). */
  onNotice?: (text: string) => void;
}

/** Run a load test (also used in-process by the benchmark). */
export async function runLoadTest(
  s: LoadSetup,
  hooksOrProgress?: LoadHooks | ((p: LoadProgress) => void),
): Promise<LoadResult> {
  const hooks: LoadHooks =
    typeof hooksOrProgress === 'function' ? { onProgress: hooksOrProgress } : (hooksOrProgress ?? {});
  const reconnect = {
    ...defaultOptions.reconnect,
    ...(s.maxReconnects === undefined
      ? {}
      : s.maxReconnects === 0
        ? { enabled: false }
        : { maxAttempts: s.maxReconnects + 1 }),
  };
  const pool = new Pool({
    binds: s.urls.map((url) => ({
      url,
      count: s.binds,
      windowSize: s.window,
      submitTimeoutMs: 0,
      enquireLinkIntervalMs: 0,
      // the generator retries MSGQFUL/THROTTLED itself (counting each, adapting its window) and reports every
      // other status as it came
      retry: { ESME_RTHROTTLED: false, ESME_RMSGQFUL: false, ESME_RSYSERR: false },
      reconnect,
    })),
    // a load run counts each receipt once: a completed message is forgotten at once (memory stays flat and young;
    // a repeated receipt is then reported as unmatched, not counted twice)
    receiptCompletedTtlMs: 0,
  });
  await pool.connect();
  try {
    const prepared: PreparedMessage[] = s.messages.map((m) => pool.prepare(m));
    const k = prepared.length;
    const d = s.destinations;
    const submit =
      d === undefined
        ? (i: number, at: number) => pool.submitPrepared(prepared[i % k]!, at)
        : (i: number, at: number) => {
            const p = prepared[i % k]!;
            const to = destinationOf(d, i);
            return pool.submitPrepared(
              {
                ...p,
                parts: p.parts.map((part) => ({ ...part, destination_addr: to, dest_addr_ton: 1, dest_addr_npi: 1 })),
              },
              at,
            );
          };
    const hlog = hooks.hlog;
    const run = new LoadRun(
      {
        mode: s.mode,
        ...(s.rate !== undefined ? { rate: s.rate } : {}),
        ...(s.rateFrom !== undefined ? { rateFrom: s.rateFrom, rampMs: s.rampMs! } : {}),
        ...(s.steps ? { steps: s.steps, stepMs: s.stepMs! } : {}),
        concurrency: s.binds * s.urls.length * s.window,
        ...(s.count !== undefined ? { count: s.count } : {}),
        ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
        ...(s.drainMs !== undefined ? { drainMs: s.drainMs } : {}),
        ...(s.intervalMs !== undefined ? { intervalMs: s.intervalMs } : {}),
        dlr: s.dlr,
        receiptWaitMs: s.receiptWaitMs,
        ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
        ...(hlog
          ? {
              onInterval: (
                a: number,
                b: number,
                h: Parameters<HlogWriter['write']>[2],
                r: Parameters<HlogWriter['write']>[3],
              ) => hlog.write(a, b, h, s.dlr ? r : undefined),
            }
          : {}),
      },
      submit,
    );
    if (s.dlr) {
      pool.on('receipt', (r) => {
        // latency from the message's arrival (its intended send time), measured as the receipt arrives
        // (the matcher's clock is performance.now(): submittedAt + latencyMs is when the last receipt arrived)
        const at = typeof r.meta === 'number' ? r.meta : undefined;
        run.recordReceipt(r.stat, at !== undefined ? r.submittedAt + r.latencyMs - at : r.latencyMs);
      });
    }
    let gaveUp = 0;
    pool.on('error', (err) => {
      if (!/giving up/.test(err.message)) {
        hooks.onNotice?.(`error: ${err.message}`);
        return;
      }
      gaveUp++;
      hooks.onNotice?.(`a bind gave up: ${err.message}`);
      if (gaveUp >= pool.clients.length)
        run.stop('smsc-gone', `every bind gave up reconnecting (--max-reconnects ${s.maxReconnects}): ${err.message}`);
    });
    pool.on('disconnected', (name, reason) => hooks.onNotice?.(`bind ${name} lost (${reason})`));
    pool.on('reconnecting', (name, delay, attempt) =>
      hooks.onNotice?.(
        `bind ${name} reconnecting in ${Math.round(delay)} ms (attempt ${attempt}${s.maxReconnects !== undefined ? ` of ${s.maxReconnects}` : ''})`,
      ),
    );
    hooks.onStart?.(run);
    const report = await run.run();
    if (report.receipts) {
      const c = pool.receiptCounters;
      report.receipts.unmatched = c.unmatched + c.held;
      report.receipts.mispaired = c.mispaired;
    }
    return { ...report, binds: s.binds * s.urls.length, window: s.window, host: hostname() };
  } finally {
    await pool.close({ drainMs: 0 });
  }
}

function statusList(r: Record<string, number>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k.replace(/^ESME_R/, '')}=${v}`)
    .join(' ');
}

function progressLine(p: LoadProgress): string {
  const errs = statusList(p.errors);
  const retried = statusList(p.retried);
  const throttle =
    p.throttledMs > 0 || p.window !== p.windowMax || p.rateCap !== null
      ? ` window ${p.window ?? '-'}${p.rateCap !== null ? ` rate≤${p.rateCap}/s` : ''} throttled ${(p.throttledMs / 1000).toFixed(1)}s`
      : '';
  return (
    `[${(p.elapsedMs / 1000).toFixed(1).padStart(6)}s] sent ${p.sent} acked ${p.acknowledged} out ${p.outstanding} ` +
    `rate ${Math.round(p.currentRate)}/s p50 ${p.p50.toFixed(2)}ms p99 ${p.p99.toFixed(2)}ms receipts ${p.receipts} ` +
    `failed ${p.failed}${errs ? ` (${errs})` : ''} retried ${retried || '0'}${throttle}`
  );
}

const STOP_EXIT: Partial<Record<StopReason, number>> = { SIGINT: 130, SIGTERM: 143, 'smsc-gone': EXIT.CONNECT };

export async function runLoad(o: LoadCliOptions): Promise<number> {
  let setup: LoadSetup;
  let hlog: HlogWriter | undefined;
  try {
    setup = loadSetup(o);
    if (o.hlog) hlog = new HlogWriter(o.hlog);
  } catch (err) {
    process.stderr.write(`esme: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  const tty = process.stderr.isTTY;
  const onProgress = o.quiet
    ? undefined
    : (p: LoadProgress) => process.stderr.write(tty ? `\r${progressLine(p)}\x1b[K` : `${progressLine(p)}\n`);
  let run: LoadRun | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    process.stderr.write(
      `${tty ? '\n' : ''}esme: ${sig}: stopping${signals > 1 ? ' now' : `, waiting up to ${(setup.drainMs ?? 10_000) / 1000} s for submits in flight (again to stop at once)`}\n`,
    );
    run?.stop(sig as StopReason);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await runLoadTest(setup, {
      ...(onProgress ? { onProgress } : {}),
      onStart: (r) => (run = r),
      ...(hlog ? { hlog } : {}),
      onNotice: (text) => process.stderr.write(`${tty ? '\n' : ''}esme: ${text}\n`),
    });
    if (tty && !o.quiet) process.stderr.write('\n');
    hlog?.close();
    if (o.report) writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n');
    if (o.html) writeHtmlReport(o.html, report);
    process.stdout.write(o.json ? JSON.stringify(report) + '\n' : reportTable(report) + '\n');
    const stopExit = STOP_EXIT[report.stopReason];
    if (stopExit !== undefined) {
      const why =
        report.stopReason === 'smsc-gone'
          ? `the SMSC is gone: ${report.stopDetail ?? ''}`
          : `interrupted by ${report.stopReason}`;
      process.stderr.write(
        `esme: load stopped early, ${why}; the report covers the ${(report.durationMs / 1000).toFixed(1)} s that ran\n`,
      );
      return stopExit;
    }
    const rc = report.receipts;
    return report.failed > 0 ||
      report.unanswered > 0 ||
      (rc && (rc.missing > 0 || (rc.unmatched ?? 0) > 0 || (rc.mispaired ?? 0) > 0))
      ? EXIT.SMPP_FAILURE
      : EXIT.OK;
  } catch (err) {
    hlog?.close();
    process.stderr.write(`esme: ${errorJson(err).message}\n`);
    return exitCodeOf(err);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
