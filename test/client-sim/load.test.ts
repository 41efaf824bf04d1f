// esme load as a user runs it (spawned) against the simulator: every status the server answered is reported
// (retried ones too), --duration bounds the run, a signal leaves a partial report, reports merge from their
// histograms, and the interval log reads back.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyHistogram } from '@smppkit/esme-client';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readHlog } from '../../packages/esme-client/src/load/hlog.js';
import { ensureBuilt, esme } from './helpers.js';

let smsc: SmscHandle | undefined;
let dir: string;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function sim(account: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'esme-load-sim-'));
  // two accounts: receipts go to the binds of the account that sent the message
  smsc = await startSmsc({
    store: 'memory',
    accounts: [
      { systemId: 'acme', password: 'pw', ...account },
      { systemId: 'beta', password: 'pw' },
    ],
    defaultDelayMs: 20,
    ...extra,
  });
  return `smpp://acme:pw@127.0.0.1:${smsc.port}`;
}

describe('esme load against the simulator', () => {
  it('window 20 against an account window of 5: MSGQFUL retried and reported, the window adapts, the run ends within duration + drain', async () => {
    // every response takes 30 ms: at 300/s about 9 submits would be in flight, so a window of 20 runs into the
    // account's 5 again and again, and the server cannot keep up (the run: 545 s at 1.7/s, "failed 0")
    // (a scenario rule's response delay: the submit counts against the window until it is answered)
    const url = await sim({ window: 5 }, { rules: [{ response: { delayMs: 30 } }] });
    const file = join(dir, 'r.json');
    const spawnedAt = Date.now();
    const r = await esme([
      'load',
      '--url',
      url,
      '--rate',
      '300',
      '--duration',
      '3',
      '--window',
      '20',
      '--drain',
      '2',
      '--report',
      file,
      '--json',
    ]).done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    // duration + drain + close, counted from the run's own start: node's start-up and the bind are not part of
    // it (spawn to exit took 6.2 s of the 7.5 s at a load of 6)
    expect(spawnedAt + r.ms - report.startTime).toBeLessThan(3000 + 2000 + 2500);
    expect(report.stopReason).toBe('duration');
    expect(report.retried.ESME_RMSGQFUL).toBeGreaterThan(0);
    // every MSGQFUL answered was retried, or (after sending stopped) abandoned
    expect(report.statuses.ESME_RMSGQFUL).toBeGreaterThanOrEqual(report.retried.ESME_RMSGQFUL);
    expect(report.statuses.ESME_RMSGQFUL).toBeLessThanOrEqual(report.retried.ESME_RMSGQFUL + report.abandoned);
    expect(report.failed).toBe(0);
    expect(report.statuses.ESME_ROK).toBe(report.acknowledged);
    // the effective window came down to what the account allows, so nearly everything went through
    expect(report.throttle.minWindow).toBeLessThanOrEqual(5);
    expect(report.throttle.timeMs).toBeGreaterThan(0);
    // what the server could take (at most 5 / 30 ms ≈ 166/s, ~500 in 3 s) went through; the rest is accounted for.
    // A window stuck at 1 would take ~33/s (~100); on a loaded machine the run still gets 200 or more.
    expect(report.acknowledged).toBeGreaterThan(150);
    expect(report.sent + report.notSent).toBe(900);
    expect(report.notSent).toBeGreaterThan(0);
    expect(report.acknowledged + report.failed + report.abandoned + report.unanswered).toBe(report.sent);
    expect(report.latencyMs.p999).toBeLessThanOrEqual(report.latencyMs.max);
    // what the simulator stored is what was acknowledged
    expect(smsc!.messages({ systemId: 'acme', limit: 100_000 } as never).length).toBe(report.acknowledged);
    const table = await esme(['report', 'merge', file]).done;
    expect(table.stdout).toMatch(/retried\s+ESME_RMSGQFUL: \d+/);
    expect(table.stdout).toMatch(/throttled\s+\d+\.\d s/);
  });

  it('SIGINT mid-load: sending stops, the partial report is printed and written, exit 130 saying why', async () => {
    const url = await sim();
    const file = join(dir, 'partial.json');
    const p = esme(['load', '--url', url, '--rate', '200', '--duration', '60', '--report', file, '--dlr']);
    await p.waitFor(/acked [1-9]\d* /);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted by SIGINT/);
    expect(r.stdout).toMatch(/stopped\s+SIGINT \(partial report\)/);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.stopReason).toBe('SIGINT');
    expect(report.sent).toBeGreaterThan(0);
    expect(report.acknowledged).toBe(report.sent - report.unanswered - report.failed);
    expect(report.durationMs).toBeLessThan(30_000);
    expect(LatencyHistogram.decode(report.histograms.submit).count).toBe(report.acknowledged);
  });

  it('the SMSC gone for good (--max-reconnects 1): the run stops, the partial report is written, exit 3 saying why', async () => {
    const url = await sim();
    const file = join(dir, 'gone.json');
    const p = esme([
      'load',
      '--url',
      url,
      '--rate',
      '100',
      '--duration',
      '60',
      '--max-reconnects',
      '1',
      '--report',
      file,
    ]);
    await p.waitFor(/acked [1-9]\d* /);
    await smsc!.close();
    smsc = undefined;
    const r = await p.done;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/bind trx lost/);
    expect(r.stderr).toMatch(/the SMSC is gone: every bind gave up reconnecting \(--max-reconnects 1\)/);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.stopReason).toBe('smsc-gone');
    expect(report.acknowledged).toBeGreaterThan(0);
    expect(r.ms).toBeLessThan(15_000);
  });

  it('report merge of two loads: counts summed, percentiles from the merged histograms; the interval log reads back', async () => {
    const url = await sim();
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const hlog = join(dir, 'a.hlog');
    const [ra, rb] = await Promise.all([
      esme([
        'load',
        '--url',
        url,
        '--rate',
        '400',
        '--count',
        '600',
        '--report',
        a,
        '--hlog',
        hlog,
        '--interval',
        '0.5',
        '--dlr',
        '--quiet',
      ]).done,
      esme([
        'load',
        '--url',
        url.replace('acme', 'beta'),
        '--unlimited',
        '--window',
        '4',
        '--count',
        '900',
        '--report',
        b,
        '--quiet',
      ]).done,
    ]);
    expect(ra.code, ra.stderr + ra.stdout.slice(0, 2000)).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const A = JSON.parse(readFileSync(a, 'utf8'));
    const B = JSON.parse(readFileSync(b, 'utf8'));
    const m = await esme(['report', 'merge', a, b, '--json']).done;
    expect(m.code, m.stderr).toBe(0);
    const merged = JSON.parse(m.stdout);
    expect(merged).toMatchObject({ sent: 1500, acknowledged: 1500, failed: 0, merged: { reports: 2 } });
    // one histogram of all samples: the two runs' histograms added
    const all = LatencyHistogram.decode(A.histograms.submit, A.latencyMs.max);
    all.add(LatencyHistogram.decode(B.histograms.submit, B.latencyMs.max));
    expect(merged.latencyMs).toEqual(all.summary());
    expect(merged.latencyMs.p99).toBeLessThanOrEqual(merged.latencyMs.max);
    // not an average of the two p99s (the open loop and the closed loop differ)
    expect(merged.durationMs).toBe(Math.max(A.endTime, B.endTime) - Math.min(A.startTime, B.startTime));
    expect(merged.throughput).toBeCloseTo((1500 * 1000) / merged.durationMs, 0);
    expect(merged.timeline.reduce((s: number, x: { acknowledged: number }) => s + x.acknowledged, 0)).toBe(1500);
    // the interval log: as many submit latencies as acknowledged, receipts tagged
    const intervals = readHlog(readFileSync(hlog, 'utf8'));
    const submits = intervals.filter((i) => i.tag === undefined);
    expect(submits.length).toBeGreaterThanOrEqual(2);
    expect(submits.reduce((s, i) => s + i.histogram.count, 0)).toBe(600);
    expect(intervals.filter((i) => i.tag === 'receipt').reduce((s, i) => s + i.histogram.count, 0)).toBe(
      A.receipts.received,
    );
    expect(submits[1]!.startSec).toBeGreaterThan(A.startTime / 1000 - 1);
  });

  it('--to range, --to-random, --from A,B,C, texts from stdin, --rate FROM..TO --ramp: what arrives at the simulator', async () => {
    const url = await sim();
    const r1 = await esme(
      [
        'load',
        '--url',
        url,
        '--rate',
        '100..400',
        '--ramp',
        '0.5s',
        '--count',
        '60',
        '--to',
        '4790000010-4790000019',
        '--from',
        'A,B,C',
        '--texts',
        '-',
        '--json',
        '--quiet',
      ],
      { input: 'first text\n\nsecond text\n' },
    ).done;
    expect(r1.code, r1.stderr).toBe(0);
    expect(JSON.parse(r1.stdout)).toMatchObject({ sent: 60, acknowledged: 60, targetRate: 400 });
    const m1 = smsc!.messages({ systemId: 'acme', limit: 1000 });
    expect(new Set(m1.map((m) => m.to))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => String(4790000010 + i))));
    expect(m1.filter((m) => m.to === '4790000010')).toHaveLength(6); // the range walked in order, 6 times round
    expect(new Set(m1.map((m) => m.from))).toEqual(new Set(['A', 'B', 'C']));
    expect(new Set(m1.map((m) => m.text))).toEqual(new Set(['first text', 'second text']));
    const r2 = await esme([
      'load',
      '--url',
      url.replace('acme', 'beta'),
      '--unlimited',
      '--count',
      '50',
      '--to-random',
      '47900:5',
      '--json',
      '--quiet',
    ]).done;
    expect(r2.code, r2.stderr).toBe(0);
    const m2 = smsc!.messages({ systemId: 'beta', limit: 1000 });
    expect(m2).toHaveLength(50);
    for (const m of m2) expect(m.to).toMatch(/^47900\d{5}$/);
    expect(new Set(m2.map((m) => m.to)).size).toBeGreaterThan(40);
    const bad = await esme(['load', '--url', url, '--rate', '10', '--count', '1', '--to', 'ABCDEFGHIJKL']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--to 'ABCDEFGHIJKL' is not a phone number/);
    const noRamp = await esme(['load', '--url', url, '--rate', '10..100', '--count', '1']).done;
    expect(noRamp.stderr).toMatch(/needs --ramp DURATION/);
  });
});
