// --hlog FILE: per-interval histograms as an HdrHistogram interval log (format 1.3: the format HdrHistogram's own
// tools — HistogramLogProcessor, HdrHistogramVisualizer — read). Submit latency untagged, receipt latency tagged
// `receipt`; values in microseconds, the max column in milliseconds. Lines are written as each interval closes.
import { closeSync, openSync, writeSync } from 'node:fs';
import hdr from 'hdr-histogram-js';
import { ConfigError } from '../errors.js';
import { LatencyHistogram } from './latency.js';

export class HlogWriter {
  private readonly fd: number;
  private readonly writer: InstanceType<typeof hdr.HistogramLogWriter>;
  private startEpochMs: number | undefined;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new ConfigError(`--hlog '${path}' cannot be written: ${(err as Error).message}`);
    }
    this.writer = new hdr.HistogramLogWriter((line: string) => writeSync(this.fd, line));
  }

  /** One interval: [startEpochMs, endEpochMs) with its submit (and receipt) histograms. */
  write(startEpochMs: number, endEpochMs: number, submit: LatencyHistogram, receipt?: LatencyHistogram): void {
    if (this.startEpochMs === undefined) {
      this.startEpochMs = startEpochMs;
      this.writer.outputComment(
        'esme load: submit→response latency (untagged) and arrival→receipt latency (Tag=receipt), values in microseconds',
      );
      this.writer.outputLogFormatVersion();
      // (the library's outputStartTime adds a blank line, which HdrHistogram's Java reader does not expect)
      this.writer.outputComment(
        `[StartTime: ${(startEpochMs / 1000).toFixed(3)} (seconds since epoch), ${new Date(startEpochMs).toISOString()}]`,
      );
      this.writer.outputLegend();
    }
    const a = (startEpochMs - this.startEpochMs) / 1000;
    const b = (endEpochMs - this.startEpochMs) / 1000;
    this.writer.outputIntervalHistogram(submit.h, a, b, 1000);
    if (receipt) {
      const tag = receipt.h.tag;
      receipt.h.tag = 'receipt';
      this.writer.outputIntervalHistogram(receipt.h, a, b, 1000);
      receipt.h.tag = tag;
    }
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
  }
}

export interface HlogInterval {
  tag: string | undefined;
  startSec: number;
  endSec: number;
  histogram: LatencyHistogram;
}

/** Read an interval log back (absolute start/end in seconds since the epoch when the log has a StartTime). */
export function readHlog(text: string): HlogInterval[] {
  const reader = new hdr.HistogramLogReader(text);
  const out: HlogInterval[] = [];
  for (;;) {
    const h = reader.nextIntervalHistogram();
    if (!h) break;
    const l = new LatencyHistogram();
    l.h.add(h);
    out.push({
      tag: h.tag && h.tag !== 'NO TAG' ? h.tag : undefined,
      startSec: h.startTimeStampMsec / 1000,
      endSec: h.endTimeStampMsec / 1000,
      histogram: l,
    });
  }
  return out;
}
