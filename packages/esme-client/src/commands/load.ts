// esme load: drive binds at a fixed (or ramped) arrival rate (open loop) or at full window (closed loop), report
// latency percentiles, throughput, every status the server answered and, with --dlr, receipts. The JSON report
// carries its HDR histograms so reports from several hosts merge (`esme report merge`). This file is the command:
// options (load-setup.ts), signals, the progress line, the run (load-run.ts), the report's outputs and the exit code.
import { writeFileSync } from 'node:fs';
import type { LoadRun } from '../load/generator.js';
import { HlogWriter } from '../load/hlog.js';
import { writeHtmlReport } from '../load/html.js';
import { reportTable } from '../load/report.js';
import type { LoadProgress, StopReason } from '../load/types.js';
import { EXIT, errorJson, exitCodeOf } from './common.js';
import { runLoadTest } from './load-run.js';
import { type LoadCliOptions, type LoadSetup, loadSetup } from './load-setup.js';

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
