// esme send: one message, its ids, and optionally its receipt.
import { connect } from '../client.js';
import type { EncodingName } from '../message-builder.js';
import type { LogicalReceipt } from '../receipt-matcher.js';
import { EXIT, errorJson, exitCodeOf, print, urlFrom } from './common.js';

export interface SendOptions {
  url?: string;
  from: string;
  to: string;
  text: string;
  encoding?: string;
  split?: 'udh' | 'udh16' | 'sar' | 'payload';
  dlr?: boolean;
  waitDlr?: number;
  json?: boolean;
  trace?: boolean;
}

function encodingOpt(v: string | undefined): EncodingName | number | undefined {
  if (v === undefined) return undefined;
  return /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : (v as EncodingName);
}

export async function runSend(o: SendOptions): Promise<number> {
  const json = o.json ?? false;
  let client;
  try {
    client = await connect(urlFrom(o.url), { trace: o.trace ?? false });
  } catch (err) {
    report(json, err);
    return exitCodeOf(err);
  }
  try {
    const wantDlr = (o.dlr ?? false) || o.waitDlr !== undefined;
    const enc = encodingOpt(o.encoding);
    const r = await client.submit({
      from: o.from,
      to: o.to,
      text: o.text,
      dlr: wantDlr,
      ...(enc !== undefined ? { encoding: enc } : {}),
      ...(o.split ? { split: o.split } : {}),
    });
    let receipt: LogicalReceipt | undefined;
    if (o.waitDlr !== undefined) receipt = await client.waitForReceipt(r.messageIds[0]!, o.waitDlr * 1000);
    const out = { ok: receipt ? receipt.delivered : true, messageIds: r.messageIds, parts: r.parts, dataCoding: r.dataCoding, ...(receipt ? { receipt: receiptJson(receipt) } : {}) };
    const lines = [`submitted ${r.parts} part${r.parts > 1 ? 's' : ''} (data_coding ${r.dataCoding}): ${r.messageIds.join(' ')}`];
    if (receipt) lines.push(`receipt: ${receipt.stat} after ${(receipt.latencyMs / 1000).toFixed(3)} s`);
    print(json, out, lines.join('\n'));
    return receipt && !receipt.delivered ? EXIT.SMPP_FAILURE : EXIT.OK;
  } catch (err) {
    report(json, err);
    return exitCodeOf(err);
  } finally {
    await client.close({ drainMs: 1000 });
  }
}

export function receiptJson(r: LogicalReceipt): Record<string, unknown> {
  return {
    stat: r.stat,
    delivered: r.delivered,
    messageIds: r.messageIds,
    latencyMs: Math.round(r.latencyMs * 1000) / 1000,
    parts: r.parts.map((p) => ({ id: p.id, stat: p.stat, err: p.err })),
  };
}

function report(json: boolean, err: unknown): void {
  const e = errorJson(err);
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: e }) + '\n');
  process.stderr.write(`esme: ${e.status ? `${e.status}: ${e.description} — ` : ''}${e.message}\n`);
}
