// The receipt text as short_message octets (data_coding 0: GSM 7-bit, unpacked). The text itself is
// @smppkit/core's formatReceipt; this file keeps what one receipt costs small, since one is sent per message:
//  - the common receipt (the submitter's text starts with 20 octets of the GSM-as-ASCII set, no UDH, a one-octet
//    alphabet): its octets are written straight into the buffer — "id:" and the id, then the rest of the text up
//    to the excerpt's key (formatReceipt's output for the same stat, err and dates, kept while they repeat), then
//    the excerpt copied from the message's own octets;
//  - any other: formatReceipt with the decoded excerpt, encoded in the GSM default alphabet ('?' for what it
//    cannot carry).
// Dates are formatted once per minute (or second), not per receipt.
import { Buffer } from 'node:buffer'; // not the global: in Node 20 an accessor, a call per use
import { EsmClass, formatReceipt, receiptDateText } from '@smppkit/core';
import { describeDataCoding, encodeText } from '@smppkit/encoding';
import type { ReceiptStyle } from '../config/types.js';
import type { MessageRecord } from '../store/record.js';
import { messageText } from '../util/user-data.js';

/** the receipts' data_coding: the MC default alphabet, GSM 03.38 on this simulator */
export const RECEIPT_DATA_CODING = 0;
/** text whose GSM 7-bit septets (one per octet, unpacked) are its ASCII bytes: the common receipt */
const GSM_AS_ASCII = /^[ !"#%&'()*+,\-./0-9:;<=>?A-Za-z]*$/;

/**
 * The receipt text as short_message octets for data_coding 0: the GSM default alphabet, unpacked (one septet per
 * octet), a character it cannot carry replaced by '?' (the `text:` excerpt is the submitter's text, in any script).
 */
export function receiptOctets(text: string): Buffer {
  if (GSM_AS_ASCII.test(text)) return Buffer.from(text, 'latin1');
  return encodeText(text, RECEIPT_DATA_CODING, { smscDefault: 'gsm', onUnencodable: 'replace' });
}

/** characters of the submitter's text a receipt keeps (formatReceipt's default) */
const EXCERPT = 20;
/** octets of the GSM_AS_ASCII set: each is its own character in GSM 7-bit (unpacked), ASCII and Latin-1 */
const AS_ASCII = new Uint8Array(256);
for (let b = 0; b < 128; b++) if (GSM_AS_ASCII.test(String.fromCharCode(b))) AS_ASCII[b] = 1;
/** data_coding → 1: an AS_ASCII octet decodes to itself (GSM 7-bit, ASCII, Latin-1), 2: not, 0: not asked yet */
const DECODES_AS_ASCII = new Uint8Array(256);

function decodesAsAscii(dc: number): boolean {
  if (DECODES_AS_ASCII[dc] === 0) {
    let a = '';
    try {
      a = describeDataCoding(dc).alphabet;
    } catch {
      // not supported: messageText says what the text is
    }
    DECODES_AS_ASCII[dc] = a === 'gsm7' || a === 'ascii' || a === 'latin1' ? 1 : 2;
  }
  return DECODES_AS_ASCII[dc] === 1;
}

/** How many octets of the message are its excerpt, when they are all AS_ASCII (one character each); else -1. */
export function asciiExcerptLength(rec: MessageRecord): number {
  const sm = rec.shortMessage;
  if (rec.text !== '' || (rec.esmClass & EsmClass.UDHI) !== 0 || sm.length === 0) return -1;
  if (rec.dataCoding > 0xff || !decodesAsAscii(rec.dataCoding)) return -1;
  const n = Math.min(sm.length, EXCERPT);
  for (let i = 0; i < n; i++) if (AS_ASCII[sm[i]] !== 1) return -1;
  return n;
}

/**
 * The start of the submitter's text for the receipt (at most EXCERPT characters), and whether it is all in the
 * GSM_AS_ASCII set: read from the octets when asciiExcerptLength allows, else decoded whole (messageText).
 */
export function receiptExcerpt(rec: MessageRecord): { text: string; asAscii: boolean } {
  const n = asciiExcerptLength(rec);
  if (n >= 0) return { text: rec.shortMessage.toString('latin1', 0, n), asAscii: true };
  const text = messageText(rec).slice(0, EXCERPT);
  return { text, asAscii: GSM_AS_ASCII.test(text) };
}

/** YYMMDDhhmm (dateDigits 10) or YYMMDDhhmmss (12) of an epoch ms time, in UTC: core's, which formatReceipt uses. */
export const receiptDate = (ms: number, digits: 10 | 12): string => receiptDateText(ms, digits);

/** What a receipt says besides its id and excerpt. */
export interface ReceiptFacts {
  stat: string;
  err: number;
  dlvrd: number;
  submittedAt: number;
  doneAt: number;
}

/**
 * The text between the id and the excerpt (" sub:001 … text:") for the last facts formatted: formatReceipt's
 * output with an empty id and excerpt, less its leading "id:". null when formatReceipt does not put the id first
 * and the excerpt last (then every receipt takes the long path).
 */
let middle: {
  stat: string;
  err: number;
  dlvrd: number;
  /** the dates as the minute (10 digits) or second (12) they show: what their text depends on */
  submitAt: number;
  doneAt: number;
  digits: number;
  key: string;
  bytes: Buffer | null;
} | null = null;

/** `submittedAt` and `doneAt` in epoch ms; the dates are formatted only when their minute (or second) is new. */
function middleOf(
  stat: string,
  err: number,
  dlvrd: number,
  submittedAt: number,
  doneAt: number,
  digits: 10 | 12,
  key: 'text' | 'Text',
): Buffer | null {
  const unit = digits === 12 ? 1000 : 60_000;
  const submitAt = Math.floor(submittedAt / unit);
  const doneAtUnit = Math.floor(doneAt / unit);
  const m = middle;
  if (
    m !== null &&
    m.submitAt === submitAt &&
    m.doneAt === doneAtUnit &&
    m.stat === stat &&
    m.err === err &&
    m.dlvrd === dlvrd &&
    m.digits === digits &&
    m.key === key
  )
    return m.bytes;
  const submit = receiptDate(submittedAt, digits);
  const done = receiptDate(doneAt, digits);
  const s = formatReceipt(
    { id: '', sub: 1, dlvrd, submit_date: submit, done_date: done, stat, err, text: '' },
    { dateDigits: digits, textKey: key },
  );
  const ok = s.startsWith('id:') && s.endsWith(` ${key}:`) && GSM_AS_ASCII.test(s);
  const bytes = ok ? Buffer.from(s.slice(3), 'latin1') : null;
  middle = { stat, err, dlvrd, submitAt, doneAt: doneAtUnit, digits, key, bytes };
  return bytes;
}

function isAsciiId(id: string): boolean {
  for (let i = 0; i < id.length; i++) if (AS_ASCII[id.charCodeAt(i)] !== 1) return false;
  return true;
}

/**
 * The common receipt's text between its id and its excerpt, when the text can be written straight (see top;
 * `n`: asciiExcerptLength(rec), -1 when the excerpt cannot): then the text is "id:", the id, these octets and the
 * message's first n octets (writeDirectText). null: the text takes formatReceipt's path (receiptText).
 */
export function directMiddle(
  id: string,
  n: number,
  stat: string,
  err: number,
  dlvrd: number,
  submittedAt: number,
  doneAt: number,
  style: ReceiptStyle,
): Buffer | null {
  if (n < 0 || !isAsciiId(id)) return null;
  const digits = style.dateDigits;
  const key = style.lowerCaseKeys ? 'text' : 'Text';
  return middleOf(stat, err, dlvrd, submittedAt, doneAt, digits, key);
}

/** Writes the direct text ("id:", the id, `mid`, the first n octets of `sm`) at b[at]; returns the offset after it. */
export function writeDirectText(b: Buffer, at: number, id: string, mid: Buffer, sm: Buffer, n: number): number {
  b[at] = 0x69; // i
  b[at + 1] = 0x64; // d
  b[at + 2] = 0x3a; // :
  at += 3;
  for (let i = 0; i < id.length; i++) b[at++] = id.charCodeAt(i);
  b.set(mid, at);
  at += mid.length;
  for (let i = 0; i < n; i++) b[at + i] = sm[i];
  return at + n;
}

/** The receipt text's octets (data_coding 0) for a message, its receipt id (decimal or hex) and what it says. */
export function receiptText(rec: MessageRecord, id: string, f: ReceiptFacts, style: ReceiptStyle): Buffer {
  const n = asciiExcerptLength(rec);
  const mid = directMiddle(id, n, f.stat, f.err, f.dlvrd, f.submittedAt, f.doneAt, style);
  if (mid !== null) {
    const out = Buffer.allocUnsafe(3 + id.length + mid.length + n);
    writeDirectText(out, 0, id, mid, rec.shortMessage, n);
    return out;
  }
  const text = formatReceipt(
    {
      id,
      sub: 1,
      dlvrd: f.dlvrd,
      submit_date: receiptDate(f.submittedAt, style.dateDigits),
      done_date: receiptDate(f.doneAt, style.dateDigits),
      stat: f.stat,
      err: f.err,
      text: receiptExcerpt(rec).text,
    },
    { dateDigits: style.dateDigits, textKey: style.lowerCaseKeys ? 'text' : 'Text' },
  );
  return receiptOctets(text);
}
