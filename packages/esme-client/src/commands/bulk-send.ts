// esme bulk, the sending pass: one bind (at --rate, --window), the file streamed again and each row checked by the
// pre-flight's classify() sent — at most twice the window in flight — unless the journal says it went out before
// (or may have: in doubt, unless --resend-in-doubt). Every submit is journaled before and after; with --wait-dlr
// each row waits for its receipt. SIGINT/SIGTERM stop the sending, and the submits in flight are waited for, so the
// journal says exactly which rows went out. A progress bar on a terminal.
import { SingleBar } from 'cli-progress';
import type { InputEncoding } from '../bulk/input.js';
import { readRecords } from '../bulk/input.js';
import type { Journal } from '../bulk/journal.js';
import type { RowOutcome } from '../bulk/outfile.js';
import { type Client, connect } from '../client.js';
import { type BulkOptions, type Classified, classify, type Setup } from './bulk-check.js';
import { errorJson, exitCodeOf, urlFrom } from './common.js';

export interface SendPass {
  o: BulkOptions;
  setup: Setup;
  encoding: InputEncoding;
  delimiter: string;
  journal: Journal;
  /** Rows to send in this run (for the progress bar; 0: nothing is connected). */
  toSend: number;
  /** A row's outcome, as it completes (to the output file and stdout). */
  emit: (oc: RowOutcome) => void;
  note: (text: string) => void;
}

export interface SendTotals {
  counts: { sent: number; failed: number; delivered: number; undelivered: number; pending: number };
  failedByStatus: Record<string, number>;
  byStat: Record<string, number>;
  /** The signal that stopped the sending. */
  interrupted: string | undefined;
}

/** The sending pass; `{ exit }` when the bind could not be made. */
export async function sendCampaign(s: SendPass): Promise<SendTotals | { exit: number }> {
  const { o, journal, note } = s;
  const wantDlr = (o.dlr ?? false) || o.waitDlr !== undefined;
  const counts = { sent: 0, failed: 0, delivered: 0, undelivered: 0, pending: 0 };
  const failedByStatus: Record<string, number> = {};
  const byStat: Record<string, number> = {};
  let interrupted: string | undefined;
  let wakeInterrupt!: () => void;
  const interruptedP = new Promise<'interrupted'>((r) => (wakeInterrupt = () => r('interrupted')));
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = sig;
    note(
      `${sig}: no more rows are sent; waiting for the submits in flight so the journal says exactly which rows went out`,
    );
    wakeInterrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let bar: SingleBar | undefined;
  const sharedTerminal = process.stdout.isTTY && process.stderr.isTTY;
  const emit = (oc: RowOutcome) => {
    // a row printed to the terminal the bar is drawn on: clear the bar's line first, draw it again below
    if (bar && sharedTerminal) process.stderr.write('\r\x1b[K');
    s.emit(oc);
    if (bar && sharedTerminal) bar.render();
  };
  let client: Client | undefined;
  try {
    if (s.toSend > 0) {
      try {
        client = await connect(urlFrom(o.url), {
          ...(o.rate ? { rate: o.rate, burst: 1 } : {}),
          ...(o.window ? { windowSize: o.window } : {}),
        });
      } catch (err) {
        note(String(errorJson(err).message));
        return { exit: exitCodeOf(err) };
      }
      if ((o.progress ?? true) && process.stderr.isTTY) {
        bar = new SingleBar({
          format: 'bulk [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted} | failed {failed}',
          stream: process.stderr,
          etaBuffer: 50,
        });
        bar.start(s.toSend, 0, { failed: 0 });
      }
      const c = client;
      const limit = Math.max(1, (o.window ?? c.options.windowSize) * 2);
      const inflight = new Set<Promise<void>>();
      const sendRow = async (v: Extract<Classified, { kind: 'valid' }>): Promise<void> => {
        journal.record({ row: v.row, state: 'submitting', to: v.to.addr });
        const oc: RowOutcome = { row: v.row, to: v.to.addr, status: 'sent' };
        try {
          const r = await c.submit({ from: o.from, to: v.to, text: v.text, dlr: wantDlr });
          journal.record({ row: v.row, state: 'accepted', ids: r.messageIds });
          counts.sent++;
          oc.messageIds = r.messageIds;
        } catch (err) {
          const e = errorJson(err);
          const status = String(e.status ?? e.code ?? 'ERROR');
          oc.status = 'failed';
          oc.reason = status;
          if (e.acceptedMessageIds) oc.messageIds = e.acceptedMessageIds as string[];
          // a submit that may have reached the SMSC (connection lost while in flight) stays in doubt in the journal
          if (e.maybeDelivered === true)
            journal.record({ row: v.row, state: 'submitting', status: `${status} (may have been delivered)` });
          else journal.record({ row: v.row, state: 'failed', status });
          counts.failed++;
          failedByStatus[status] = (failedByStatus[status] ?? 0) + 1;
        }
        bar?.increment(1, { failed: counts.failed });
        if (oc.status === 'sent' && o.waitDlr !== undefined) {
          const rc = await Promise.race([
            c.waitForReceipt(oc.messageIds![0]!, o.waitDlr * 1000).catch(() => null),
            interruptedP,
          ]);
          if (rc === 'interrupted') {
            oc.receipt = 'PENDING';
            counts.pending++;
          } else if (rc === null) {
            oc.receipt = 'NONE';
            counts.pending++;
          } else {
            oc.receipt = rc.stat;
            byStat[rc.stat] = (byStat[rc.stat] ?? 0) + 1;
            if (rc.delivered) counts.delivered++;
            else counts.undelivered++;
            journal.record({ row: v.row, state: 'receipt', stat: rc.stat });
          }
        }
        emit(oc);
      };
      let header = true;
      for await (const rec of readRecords(o.csv, { encoding: s.encoding, delimiter: s.delimiter })) {
        if (interrupted) break;
        if (header) {
          header = false;
          continue;
        }
        const cl = classify(rec, s.setup);
        if (cl.kind !== 'valid') continue;
        const prev = journal.previous.get(cl.row);
        if (prev?.state === 'accepted' || (prev?.state === 'submitting' && !o.resendInDoubt)) continue;
        while (inflight.size >= limit && !interrupted) await Promise.race([...inflight, interruptedP]);
        if (interrupted) break;
        const p: Promise<void> = sendRow(cl).finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await Promise.all(inflight);
    }
  } finally {
    bar?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client?.close({ drainMs: 1000 });
  }
  return { counts, failedByStatus, byStat, interrupted };
}
