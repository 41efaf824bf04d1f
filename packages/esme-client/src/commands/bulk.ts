// esme bulk: a personalised campaign from a spreadsheet export. The file is checked once, before anything is
// sent (bulk-check.ts: sender, columns, every destination and rendered text); then its rows are streamed and sent at
// --rate (bulk-send.ts), each outcome written as it completes (--out), every submit journaled before and after
// (--journal) so an interrupted campaign resumes without sending a row twice. This file is the command: the dry run,
// the journal and the output file, and the summary — sent, failed by status, delivered/undelivered by stat.
import { type Campaign, Journal } from '../bulk/journal.js';
import { OutFile, type RowOutcome } from '../bulk/outfile.js';
import { type BulkOptions, type Checked, checkCampaign, money } from './bulk-check.js';
import { sendCampaign } from './bulk-send.js';
import { EXIT } from './common.js';

export type { BulkOptions } from './bulk-check.js';

function rowText(oc: RowOutcome): string {
  if (oc.status === 'invalid') return `row ${oc.row}: invalid: ${oc.reason}`;
  if (oc.status === 'dry-run')
    return `row ${oc.row}: to ${oc.to}, ${oc.encoding}, ${oc.parts} part${oc.parts === 1 ? '' : 's'}${oc.cost !== undefined ? `, cost ${oc.cost}` : ''}: ${oc.text}`;
  return `row ${oc.row}: ${oc.status} to ${oc.to}${oc.messageIds ? ` ${oc.messageIds.join(' ')}` : ''}${oc.reason ? `: ${oc.reason}` : ''}${oc.receipt ? ` receipt ${oc.receipt}` : ''}`;
}

export async function runBulk(o: BulkOptions): Promise<number> {
  const json = o.json ?? false;
  const out = (obj: Record<string, unknown>, text: string) =>
    process.stdout.write(json ? JSON.stringify(obj) + '\n' : text + '\n');
  const note = (text: string) => process.stderr.write(`esme: ${text}\n`);

  // ---- checked once, before anything is sent ----
  let checked: Checked;
  try {
    checked = await checkCampaign(o, note);
  } catch (err) {
    note((err as Error).message);
    return EXIT.USAGE;
  }
  const { invalid, dry, dataRows, blank, valid, parts, sha256 } = checked;

  if (o.dryRun) {
    const all = [...invalid, ...dry].sort((a, b) => a.row - b.row);
    for (const oc of all) out({ type: 'row', ...oc }, rowText(oc));
    const cost = o.price !== undefined ? money(parts * o.price) : undefined;
    const summary = {
      type: 'summary',
      dryRun: true,
      rows: dataRows,
      blank,
      invalid: invalid.length,
      messages: valid,
      parts,
      ...(cost !== undefined ? { cost } : {}),
    };
    out(
      summary,
      `dry run: ${dataRows} rows${blank ? ` (+${blank} blank)` : ''}, ${invalid.length} invalid, ${valid} messages, ${parts} parts${cost !== undefined ? `, cost ${cost}` : ''}; nothing sent`,
    );
    return invalid.length > 0 ? EXIT.SMPP_FAILURE : EXIT.OK;
  }

  // ---- journal, output file, connection ----
  const campaign: Campaign = { csv: o.csv, sha256, template: o.template, from: o.from, toColumn: o.toColumn };
  let journal: Journal;
  let outFile: OutFile | undefined;
  const journalPath = o.journal ?? `${o.out ?? o.csv}.journal`;
  try {
    journal = new Journal(journalPath, campaign);
    if (o.out) outFile = new OutFile(o.out, journal.resumed);
  } catch (err) {
    note((err as Error).message);
    return EXIT.USAGE;
  }
  let already = 0;
  const inDoubt: number[] = [];
  for (const [row, st] of journal.previous) {
    if (st.state === 'accepted') already++;
    else if (st.state === 'submitting' && !o.resendInDoubt) inDoubt.push(row);
  }
  if (journal.resumed) {
    note(`resuming from the journal '${journalPath}': ${already} rows accepted before are not sent again`);
    if (inDoubt.length > 0) {
      note(
        `rows ${inDoubt.slice(0, 20).join(', ')}${inDoubt.length > 20 ? ` and ${inDoubt.length - 20} more` : ''} were being submitted when the last run ended and have no outcome: they may have gone out, so they are not sent again (--resend-in-doubt to send them)`,
      );
    }
  }
  const emit = (oc: RowOutcome, toOut = true) => {
    if (toOut) outFile?.write(oc);
    out({ type: 'row', ...oc }, rowText(oc));
  };
  invalid.sort((a, b) => a.row - b.row);
  for (const oc of invalid) emit(oc, !journal.resumed);

  const toSend = valid - already - inDoubt.length;
  let sent: Awaited<ReturnType<typeof sendCampaign>>;
  try {
    sent = await sendCampaign({
      o,
      setup: checked.setup,
      encoding: checked.encoding,
      delimiter: checked.delimiter,
      journal,
      toSend,
      emit,
      note,
    });
  } finally {
    journal.close();
    outFile?.close();
  }
  if ('exit' in sent) return sent.exit;
  const { counts, failedByStatus, byStat, interrupted } = sent;

  const waited = o.waitDlr !== undefined;
  const deliveryRate = waited && counts.sent > 0 ? Math.round((counts.delivered / counts.sent) * 1000) / 10 : undefined;
  const summary = {
    type: 'summary',
    rows: dataRows,
    blank,
    invalid: invalid.length,
    ...(journal.resumed ? { alreadySent: already, inDoubt: inDoubt.length } : {}),
    sent: counts.sent,
    failed: counts.failed,
    failedByStatus,
    ...(waited
      ? { delivered: counts.delivered, undelivered: counts.undelivered, byStat, pending: counts.pending, deliveryRate }
      : {}),
    ...(interrupted ? { interrupted, notSent: toSend - counts.sent - counts.failed } : {}),
    journal: journalPath,
  };
  const failedText =
    counts.failed > 0
      ? ` (${Object.entries(failedByStatus)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')})`
      : '';
  const resumedText = journal.resumed
    ? `, ${already} sent before (journal)${inDoubt.length ? `, ${inDoubt.length} in doubt` : ''}`
    : '';
  const dlrText = waited
    ? `; ${counts.delivered} delivered, ${counts.undelivered} not delivered${
        Object.keys(byStat).length
          ? ` (${Object.entries(byStat)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }, ${counts.pending} without receipt; delivery rate ${deliveryRate ?? 0}%`
    : '';
  out(
    summary,
    `summary: ${dataRows} rows, ${counts.sent} sent, ${counts.failed} failed${failedText}, ${invalid.length} invalid${resumedText}${dlrText}`,
  );
  if (interrupted) {
    note(
      `interrupted by ${interrupted}: ${counts.sent} rows sent in this run, ${summary.notSent} not sent; the journal '${journalPath}' says which — run the same command again to send the rest`,
    );
    return interrupted === 'SIGTERM' ? 143 : 130;
  }
  if (invalid.length > 0 || counts.failed > 0 || counts.undelivered > 0) return EXIT.SMPP_FAILURE;
  if (counts.pending > 0) return EXIT.TIMEOUT;
  return EXIT.OK;
}
