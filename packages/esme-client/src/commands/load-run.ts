// esme load, the run: a LoadSetup driven through a pool of binds by the load generator (load/generator.ts) —
// the pool set up for measuring (no client-side retries, receipts forgotten once counted), each message's
// destination filled in, receipts and connection events handed to the run — and the report with where it ran.
// Used by the CLI (load.ts) and in-process by the benchmark.
import { hostname } from 'node:os';
import { LoadRun } from '../load/generator.js';
import type { HlogWriter } from '../load/hlog.js';
import type { LoadResult } from '../load/report.js';
import type { LoadProgress, SubmitFn } from '../load/types.js';
import type { PreparedMessage } from '../message-builder.js';
import { defaultOptions } from '../options.js';
import { Pool } from '../pool.js';
import { destinationOf, type LoadSetup } from './load-setup.js';

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
      // receipts are counted, not shown: their text is not read (its id and stat come from the TLVs when present)
      lazyReceipts: true,
      // at window 1 the next submit goes from the previous one's response, within its read (no promise on the
      // way), and nothing else is in flight to batch it with: written when that read's callback is done, not a
      // setImmediate later (against the simulator, read to write 16.2-17.6 -> 12.7-15.7 µs: bench/read-to-write.ts,
      // 3 alternated runs). Wider windows keep 'turn': bench/client-ab.ts against the simulator at window 100 with
      // receipts gave mixed results (client median 6.7 -> 11.0, 6.7 -> 11.4, 6.3 -> 5.3, 5.3 -> 5.5 µs)
      writeTiming: s.window === 1 ? 'callback' : 'turn',
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
    // no promise per message: the outcome goes straight to the run's attempt object
    const submit: SubmitFn =
      d === undefined
        ? (i, at, done) => {
            pool.sendPrepared(prepared[i % k]!, at, done);
            return undefined;
          }
        : (i, at, done) => {
            const p = prepared[i % k]!;
            const to = destinationOf(d, i);
            const parts = p.parts.map((part) => ({
              ...part,
              destination_addr: to,
              dest_addr_ton: 1,
              dest_addr_npi: 1,
            }));
            pool.sendPrepared({ ...p, parts }, at, done);
            return undefined;
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
        const readAt = r.submittedAt + r.latencyMs;
        run.recordReceipt(r.stat, at !== undefined ? readAt - at : r.latencyMs, readAt);
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
