// esme send: one message, its ids (printed as soon as they are accepted), and optionally its receipt.
import { statusName } from '@smppkit/core';
import { type Address, parseDestination } from '../address.js';
import { connect } from '../client.js';
import { ConfigError } from '../errors.js';
import type { EncodingName } from '../message-builder.js';
import { parseNational } from '../national.js';
import type { LogicalReceipt } from '../receipt-matcher.js';
import { bindModeFor, cliLogger, EXIT, errorJson, exitCodeOf, print, urlFrom } from './common.js';

export interface SendOptions {
  url?: string;
  bind?: string;
  from: string;
  to: string;
  text: string;
  encoding?: string;
  split?: 'udh' | 'udh16' | 'sar' | 'payload';
  national?: string;
  dlr?: boolean;
  waitDlr?: number;
  json?: boolean;
  trace?: boolean;
  /** ISO country for destinations written nationally */
  country?: string;
  allowShortCodes?: boolean;
  /** seconds */
  connectTimeout?: number;
}

function encodingOpt(v: string | undefined): EncodingName | number | undefined {
  if (v === undefined) return undefined;
  return /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : (v as EncodingName);
}

export async function runSend(o: SendOptions): Promise<number> {
  const json = o.json ?? false;
  // Usage errors first, before connecting: the URL, the bind mode against --wait-dlr, --national.
  let url: string;
  let mode;
  let national;
  let to: Address;
  try {
    // the destination rule send and bulk share: a number (as people write them) or, when allowed, a short code
    to = parseDestination(o.to, {
      field: '--to',
      ...(o.country !== undefined ? { country: o.country } : {}),
      ...(o.allowShortCodes ? { allowShortCodes: true } : {}),
    });
    url = urlFrom(o.url);
    mode = bindModeFor(url, o.bind);
    if (mode === 'receiver')
      throw new ConfigError(`a receiver-only bind cannot send: use --bind transceiver (default), transmitter or pair`);
    if (mode === 'transmitter' && o.waitDlr !== undefined) {
      throw new ConfigError(
        `--wait-dlr needs the receipt, which a transmitter-only bind never receives: use --bind transceiver (default) or pair`,
      );
    }
    national = o.national !== undefined ? parseNational(o.national, '--national') : undefined;
  } catch (err) {
    report(json, err);
    return exitCodeOf(err);
  }
  let client;
  try {
    client = await connect(url, {
      mode,
      ...(national ? { national } : {}),
      ...(o.connectTimeout !== undefined ? { connectTimeoutMs: Math.round(o.connectTimeout * 1000) } : {}),
      ...(o.trace ? { trace: true, logger: cliLogger() } : {}),
    });
  } catch (err) {
    report(json, err);
    return exitCodeOf(err);
  }
  client.on('throttled', (status, delayMs) => {
    process.stderr.write(
      `esme: the SMSC answered ${statusName(status)} (0x${status.toString(16).padStart(8, '0')}): retrying in ${(delayMs / 1000).toFixed(1)} s\n`,
    );
  });
  let submitted: { messageIds: string[]; parts: number; dataCoding: number } | undefined;
  try {
    const wantDlr = (o.dlr ?? false) || o.waitDlr !== undefined;
    const enc = encodingOpt(o.encoding);
    const r = await client.submit({
      from: o.from,
      to,
      text: o.text,
      dlr: wantDlr,
      ...(enc !== undefined ? { encoding: enc } : {}),
      ...(o.split ? { split: o.split } : {}),
    });
    submitted = { messageIds: r.messageIds, parts: r.parts, dataCoding: r.dataCoding };
    // The ids are printed at once (a person or a script has them even if the receipt never comes).
    if (!json)
      process.stdout.write(
        `submitted ${r.parts} part${r.parts > 1 ? 's' : ''} (data_coding ${r.dataCoding}): ${r.messageIds.join(' ')}\n`,
      );
    let receipt: LogicalReceipt | undefined;
    if (o.waitDlr !== undefined) {
      if (!json) process.stderr.write(`esme: waiting up to ${o.waitDlr} s for the receipt\n`);
      receipt = await client.waitForReceipt(r.messageIds[0]!, o.waitDlr * 1000);
    }
    if (json)
      print(
        true,
        { ok: receipt ? receipt.delivered : true, ...submitted, ...(receipt ? { receipt: receiptJson(receipt) } : {}) },
        '',
      );
    else if (receipt)
      process.stdout.write(`receipt: ${receipt.stat} after ${(receipt.latencyMs / 1000).toFixed(3)} s\n`);
    return receipt && !receipt.delivered ? EXIT.SMPP_FAILURE : EXIT.OK;
  } catch (err) {
    report(json, err, submitted);
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

/**
 * A failure: one JSON object (with the ids accepted so far: all of them when only the receipt is missing, the
 * accepted parts when a later part was refused) and the error's message once on stderr.
 */
function report(
  json: boolean,
  err: unknown,
  submitted?: { messageIds: string[]; parts: number; dataCoding: number },
): void {
  const e = errorJson(err);
  if (json) {
    const accepted = (e.acceptedMessageIds as string[] | undefined) ?? [];
    const ids = submitted ? { ...submitted } : { messageIds: accepted };
    process.stdout.write(JSON.stringify({ ok: false, ...ids, error: e }) + '\n');
  } else if (!submitted && (e.acceptedMessageIds as string[] | undefined)?.length) {
    process.stdout.write(`accepted before the failure: ${(e.acceptedMessageIds as string[]).join(' ')}\n`);
  }
  process.stderr.write(`esme: ${e.message}\n`);
}
