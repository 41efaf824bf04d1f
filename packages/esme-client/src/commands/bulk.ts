// esme bulk: a personalised campaign from a spreadsheet export. The file is checked once, before anything is
// sent (sender, columns, every destination and rendered text); then its rows are streamed and sent at --rate, each
// outcome written as it completes (--out), every submit journaled before and after (--journal) so an interrupted
// campaign resumes without sending a row twice. Summary: sent, failed by status, delivered/undelivered by stat.
import { SingleBar } from 'cli-progress';
import { type Address, parseAddress, parseDestination } from '../address.js';
import { type CsvRecord, checkReadable, type InputEncoding, readRecords, sniffDelimiter } from '../bulk/input.js';
import { type Campaign, Journal } from '../bulk/journal.js';
import { OutFile, type RowOutcome } from '../bulk/outfile.js';
import { compileTemplate, missingFields, renderTemplate, type Template } from '../bulk/template.js';
import { type Client, connect } from '../client.js';
import { ConfigError } from '../errors.js';
import { buildSubmit } from '../message-builder.js';
import { type ClientOptions, defaultOptions } from '../options.js';
import { EXIT, errorJson, exitCodeOf, urlFrom } from './common.js';

export interface BulkOptions {
  url?: string;
  csv: string;
  template: string;
  from: string;
  toColumn: string;
  country?: string;
  allowShortCodes?: boolean;
  rate?: number;
  window?: number;
  dlr?: boolean;
  waitDlr?: number;
  out?: string;
  journal?: string;
  resendInDoubt?: boolean;
  encoding?: string;
  delimiter?: string;
  price?: number;
  json?: boolean;
  dryRun?: boolean;
  progress?: boolean;
}

type Classified =
  | { kind: 'blank' }
  | { kind: 'invalid'; outcome: RowOutcome }
  | { kind: 'valid'; row: number; to: Required<Address>; text: string; encoding: string; parts: number };

interface Setup {
  template: Template;
  header: string[];
  index: Map<string, number>;
  from: string;
  toColumn: string;
  country?: string;
  allowShortCodes: boolean;
  builder: ClientOptions;
}

function classify(rec: CsvRecord, s: Setup): Classified {
  if (rec.fields.length === 0) return { kind: 'blank' };
  const invalid = (reason: string, to?: string): Classified => ({
    kind: 'invalid',
    outcome: { row: rec.row, ...(to !== undefined ? { to } : {}), status: 'invalid', reason },
  });
  if (rec.fields.length !== s.header.length)
    return invalid(`has ${rec.fields.length} fields, the header has ${s.header.length}`);
  const values: Record<string, string> = {};
  s.header.forEach((h, i) => (values[h] = rec.fields[i]!));
  const rawTo = values[s.toColumn]!.trim();
  let to: Required<Address>;
  try {
    to = parseDestination(rawTo, {
      field: s.toColumn,
      allowShortCodes: s.allowShortCodes,
      ...(s.country ? { country: s.country } : {}),
    });
  } catch (err) {
    return invalid((err as Error).message, rawTo);
  }
  const rendered = renderTemplate(s.template, values);
  if ('error' in rendered) return invalid(rendered.error, to.addr);
  try {
    const p = buildSubmit({ from: s.from, to, text: rendered.text }, s.builder);
    return { kind: 'valid', row: rec.row, to, text: rendered.text, encoding: p.encoding, parts: p.parts.length };
  } catch (err) {
    return invalid((err as Error).message, to.addr);
  }
}

function delimiterOf(o: BulkOptions): { delimiter: string; sniffed: boolean } {
  if (o.delimiter !== undefined) {
    const d = o.delimiter === '\\t' || o.delimiter.toLowerCase() === 'tab' ? '\t' : o.delimiter;
    if (d.length !== 1) throw new ConfigError(`--delimiter '${o.delimiter}' is not one character (',', ';', tab)`);
    return { delimiter: d, sniffed: false };
  }
  return { delimiter: sniffDelimiter(o.csv), sniffed: true };
}

function rowText(oc: RowOutcome): string {
  if (oc.status === 'invalid') return `row ${oc.row}: invalid: ${oc.reason}`;
  if (oc.status === 'dry-run')
    return `row ${oc.row}: to ${oc.to}, ${oc.encoding}, ${oc.parts} part${oc.parts === 1 ? '' : 's'}${oc.cost !== undefined ? `, cost ${oc.cost}` : ''}: ${oc.text}`;
  return `row ${oc.row}: ${oc.status} to ${oc.to}${oc.messageIds ? ` ${oc.messageIds.join(' ')}` : ''}${oc.reason ? `: ${oc.reason}` : ''}${oc.receipt ? ` receipt ${oc.receipt}` : ''}`;
}

const money = (x: number) => Math.round(x * 1e6) / 1e6;

export async function runBulk(o: BulkOptions): Promise<number> {
  const json = o.json ?? false;
  const out = (obj: Record<string, unknown>, text: string) =>
    process.stdout.write(json ? JSON.stringify(obj) + '\n' : text + '\n');
  const note = (text: string) => process.stderr.write(`esme: ${text}\n`);

  // ---- checked once, before anything is sent ----
  let setup: Setup;
  let encoding: InputEncoding;
  let delimiter: string;
  const invalid: RowOutcome[] = [];
  let dataRows = 0;
  let blank = 0;
  let valid = 0;
  let parts = 0;
  let sha256 = '';
  const dry: RowOutcome[] = [];
  try {
    if (checkReadable(o.csv) === 0) throw new ConfigError(`--csv '${o.csv}' is empty: no header row and no rows`);
    let template: Template;
    try {
      template = compileTemplate(o.template);
    } catch (err) {
      throw new ConfigError(`--template: ${(err as Error).message}`);
    }
    parseAddress(o.from, '--from');
    if (
      o.encoding !== undefined &&
      !['utf8', 'utf-8', 'latin1', 'latin-1', 'iso-8859-1', 'windows-1252', 'cp1252'].includes(o.encoding.toLowerCase())
    ) {
      throw new ConfigError(`--encoding '${o.encoding}' is not utf8 or latin1`);
    }
    encoding = o.encoding && /^(utf-?8)$/i.test(o.encoding) ? 'utf8' : o.encoding ? 'latin1' : 'utf8';
    const d = delimiterOf(o);
    delimiter = d.delimiter;
    if (d.sniffed && delimiter !== ',')
      note(
        `delimiter '${delimiter === '\t' ? 'tab' : delimiter}' detected in the header row (give --delimiter to choose)`,
      );
    let header: string[] | undefined;
    for await (const rec of readRecords(o.csv, { encoding, delimiter, onHash: (h) => (sha256 = h) })) {
      if (!header) {
        if (rec.fields.length === 0) throw new ConfigError(`--csv '${o.csv}': row 1 (the header) is blank`);
        header = rec.fields.map((h) => h.trim());
        const seen = new Set<string>();
        header.forEach((h, i) => {
          if (h === '') throw new ConfigError(`--csv '${o.csv}': header column ${i + 1} has no name`);
          if (seen.has(h)) throw new ConfigError(`--csv '${o.csv}': header column '${h}' appears twice`);
          seen.add(h);
        });
        const missing = missingFields(template, header);
        if (!header.includes(o.toColumn)) missing.unshift(o.toColumn);
        if (missing.length > 0)
          throw new ConfigError(
            `the CSV header (${header.join(', ')}) lacks the column(s) ${missing.map((m) => `'${m}'`).join(', ')}`,
          );
        setup = {
          template,
          header,
          index: new Map(header.map((h, i) => [h, i])),
          from: o.from,
          toColumn: o.toColumn,
          ...(o.country ? { country: o.country } : {}),
          allowShortCodes: o.allowShortCodes ?? false,
          builder: { ...defaultOptions, host: '-', system_id: '-', password: '' } as ClientOptions,
        };
        continue;
      }
      const c = classify(rec, setup!);
      if (c.kind === 'blank') {
        blank++;
        continue;
      }
      dataRows++;
      if (c.kind === 'invalid') invalid.push(c.outcome);
      else {
        valid++;
        parts += c.parts;
        if (o.dryRun)
          dry.push({
            row: c.row,
            to: c.to.addr,
            status: 'dry-run',
            text: c.text,
            encoding: c.encoding,
            parts: c.parts,
            ...(o.price !== undefined ? { cost: money(c.parts * o.price) } : {}),
          });
      }
    }
    if (!header) throw new ConfigError(`--csv '${o.csv}' is empty: no header row and no rows`);
    if (dataRows === 0)
      throw new ConfigError(
        `--csv '${o.csv}' has a header row (${header.join(', ')}) and no rows${blank > 0 ? ` (${blank} blank)` : ''}`,
      );
  } catch (err) {
    note((err as Error).message);
    return EXIT.USAGE;
  }

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
  let bar: SingleBar | undefined;
  const sharedTerminal = process.stdout.isTTY && process.stderr.isTTY;
  const emit = (oc: RowOutcome, toOut = true) => {
    if (toOut) outFile?.write(oc);
    // a row printed to the terminal the bar is drawn on: clear the bar's line first, draw it again below
    if (bar && sharedTerminal) process.stderr.write('\r\x1b[K');
    out({ type: 'row', ...oc }, rowText(oc));
    if (bar && sharedTerminal) bar.render();
  };
  invalid.sort((a, b) => a.row - b.row);
  for (const oc of invalid) emit(oc, !journal.resumed);

  const toSend = valid - already - inDoubt.length;
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

  let client: Client | undefined;
  try {
    if (toSend > 0) {
      try {
        client = await connect(urlFrom(o.url), {
          ...(o.rate ? { rate: o.rate, burst: 1 } : {}),
          ...(o.window ? { windowSize: o.window } : {}),
        });
      } catch (err) {
        note(String(errorJson(err).message));
        return exitCodeOf(err);
      }
      if ((o.progress ?? true) && process.stderr.isTTY) {
        bar = new SingleBar({
          format: 'bulk [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted} | failed {failed}',
          stream: process.stderr,
          etaBuffer: 50,
        });
        bar.start(toSend, 0, { failed: 0 });
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
      for await (const rec of readRecords(o.csv, { encoding: encoding!, delimiter: delimiter! })) {
        if (interrupted) break;
        if (header) {
          header = false;
          continue;
        }
        const cl = classify(rec, setup!);
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
    journal.close();
    outFile?.close();
  }

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
