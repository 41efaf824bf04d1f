// esme bulk: a personalised campaign from a CSV export: one message per valid row, invalid rows reported with
// their row number and reason, and a summary of sent, failed and (with --wait-dlr) delivered.
import { readFileSync } from 'node:fs';
import { connect } from '../client.js';
import { parseCsv } from '../bulk/csv.js';
import { compileTemplate, missingFields, renderTemplate } from '../bulk/template.js';
import type { LogicalReceipt } from '../receipt-matcher.js';
import { EXIT, errorJson, exitCodeOf, urlFrom } from './common.js';

export interface BulkOptions {
  url?: string;
  csv: string;
  template: string;
  from: string;
  toColumn: string;
  rate?: number;
  window?: number;
  dlr?: boolean;
  waitDlr?: number;
  json?: boolean;
  dryRun?: boolean;
}

interface RowOutcome {
  row: number;
  to?: string;
  status: 'invalid' | 'sent' | 'failed';
  reason?: string;
  messageIds?: string[];
  receipt?: string;
}

export async function runBulk(o: BulkOptions): Promise<number> {
  const json = o.json ?? false;
  const out = (obj: Record<string, unknown>, text: string) => process.stdout.write(json ? JSON.stringify(obj) + '\n' : text + '\n');
  let text: string;
  try {
    text = readFileSync(o.csv, 'utf8');
  } catch (err) {
    process.stderr.write(`esme: --csv '${o.csv}' cannot be read: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  let template;
  try {
    template = compileTemplate(o.template);
  } catch (err) {
    process.stderr.write(`esme: --template: ${(err as Error).message}\n`);
    return EXIT.USAGE;
  }
  const csv = parseCsv(text);
  const missing = missingFields(template, csv.header);
  if (!csv.header.includes(o.toColumn)) missing.unshift(o.toColumn);
  if (missing.length > 0) {
    process.stderr.write(`esme: the CSV header (${csv.header.join(', ')}) lacks the column(s) ${missing.map((m) => `'${m}'`).join(', ')}\n`);
    return EXIT.USAGE;
  }
  const outcomes: RowOutcome[] = csv.invalid.map((p) => ({ row: p.row, status: 'invalid', reason: p.reason }));
  const jobs: Array<{ row: number; to: string; text: string }> = [];
  for (const r of csv.rows) {
    const to = r.values[o.toColumn]!.trim();
    if (!/^\+?\d{3,20}$/.test(to)) {
      outcomes.push({ row: r.row, to, status: 'invalid', reason: `${o.toColumn} '${to}' is not a phone number` });
      continue;
    }
    const rendered = renderTemplate(template, r.values);
    if ('error' in rendered) outcomes.push({ row: r.row, to, status: 'invalid', reason: rendered.error });
    else jobs.push({ row: r.row, to, text: rendered.text });
  }
  for (const inv of outcomes) out({ type: 'row', ...inv }, `row ${inv.row}: invalid: ${inv.reason}`);
  let client;
  const delivered = { delivered: 0, undelivered: 0, pending: 0 };
  if (!o.dryRun && jobs.length > 0) {
    try {
      client = await connect(urlFrom(o.url), { ...(o.rate ? { rate: o.rate, burst: 1 } : {}), ...(o.window ? { windowSize: o.window } : {}) });
    } catch (err) {
      process.stderr.write(`esme: ${errorJson(err).message}\n`);
      return exitCodeOf(err);
    }
    const wantDlr = (o.dlr ?? false) || o.waitDlr !== undefined;
    const receiptWaits: Array<Promise<void>> = [];
    const sent = await Promise.all(
      jobs.map(async (j): Promise<RowOutcome> => {
        try {
          const r = await client!.submit({ from: o.from, to: j.to, text: j.text, dlr: wantDlr });
          const outcome: RowOutcome = { row: j.row, to: j.to, status: 'sent', messageIds: r.messageIds };
          if (o.waitDlr !== undefined) {
            receiptWaits.push(
              client!.waitForReceipt(r.messageIds[0]!, o.waitDlr * 1000).then(
                (rc: LogicalReceipt) => {
                  outcome.receipt = rc.stat;
                  if (rc.delivered) delivered.delivered++;
                  else delivered.undelivered++;
                },
                () => {
                  outcome.receipt = 'NONE';
                  delivered.pending++;
                },
              ),
            );
          }
          return outcome;
        } catch (err) {
          const e = errorJson(err);
          return { row: j.row, to: j.to, status: 'failed', reason: String(e.status ?? e.message) };
        }
      }),
    );
    await Promise.all(receiptWaits);
    outcomes.push(...sent);
    await client.close({ drainMs: 1000 });
  } else if (o.dryRun) {
    for (const j of jobs) outcomes.push({ row: j.row, to: j.to, status: 'sent', reason: 'dry run' });
  }
  outcomes.sort((a, b) => a.row - b.row);
  for (const oc of outcomes) {
    if (oc.status === 'invalid') continue;
    out({ type: 'row', ...oc }, `row ${oc.row}: ${oc.status} to ${oc.to}${oc.messageIds ? ` ${oc.messageIds.join(' ')}` : ''}${oc.reason ? `: ${oc.reason}` : ''}${oc.receipt ? ` receipt ${oc.receipt}` : ''}`);
  }
  const summary = {
    type: 'summary',
    rows: csv.rows.length + csv.invalid.length,
    invalid: outcomes.filter((x) => x.status === 'invalid').length,
    sent: outcomes.filter((x) => x.status === 'sent').length,
    failed: outcomes.filter((x) => x.status === 'failed').length,
    ...(o.waitDlr !== undefined ? delivered : {}),
  };
  out(summary, `summary: ${summary.rows} rows, ${summary.sent} sent, ${summary.failed} failed, ${summary.invalid} invalid` + (o.waitDlr !== undefined ? `, ${delivered.delivered} delivered, ${delivered.undelivered} not delivered, ${delivered.pending} without receipt` : ''));
  if (summary.invalid > 0 || summary.failed > 0 || delivered.undelivered > 0) return EXIT.SMPP_FAILURE;
  if (delivered.pending > 0) return EXIT.TIMEOUT;
  return EXIT.OK;
}

