// The delivery-receipt text (v3.4 Appendix B, de-facto standard), both ways, and receipts read from a PDU.
// The id forms a receipt may write its message's id in are in receipt-id.ts.
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
import type { PduOf } from './commands.js';
import { EsmClass, messageStateOfStat, statOfMessageState } from './constants.js';
import { receiptIdInForm } from './receipt-id.js';
import type { NetworkErrorCode } from './tlv-table.js';

export interface ReceiptFields {
  /** the message_id given in submit_sm_resp (written as given unless dialect.id says otherwise) */
  id: string;
  /** number submitted (default 1), written as 3 digits */
  sub?: number | string;
  /** number delivered (default 1 when stat is DELIVRD, else 0), written as 3 digits */
  dlvrd?: number | string;
  submit_date?: Date | string;
  done_date?: Date | string;
  /** DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN, REJECTD, ENROUTE, … */
  stat: string;
  /** error code, written as 3 digits when numeric (default 0) */
  err?: number | string;
  /** the start of the original text */
  text?: string;
}

export interface ReceiptDialect {
  /** digits of the dates: 10 = YYMMDDhhmm (default), 12 = YYMMDDhhmmss */
  dateDigits?: 10 | 12;
  /** 'text' (default, what most MCs send) or 'Text' (the spec's example) */
  textKey?: 'text' | 'Text';
  /** characters of the original text kept (default 20) */
  textLength?: number;
  /** the id as given (default), or converted: a hex id written in decimal, a decimal id written in hex */
  id?: 'as-is' | 'decimal' | 'hex';
  /** dates are written in this local time (minutes east of UTC; default 0 = UTC) */
  utcOffsetMinutes?: number;
}

/** Formats a receipt text. */
export function formatReceipt(f: ReceiptFields, dialect: ReceiptDialect = {}): string {
  const digits = dialect.dateDigits ?? 10;
  const offset = dialect.utcOffsetMinutes ?? 0;
  const date = (d: Date | string | undefined) =>
    d === undefined ? '0'.repeat(digits) : typeof d === 'string' ? d : receiptDateText(d.getTime(), digits, offset);
  const three = (v: number | string) =>
    typeof v !== 'number' ? v : v >= 0 && v < 10 ? '00' + v : String(v).padStart(3, '0');
  const id = convertId(f.id, dialect.id ?? 'as-is');
  const dlvrd = f.dlvrd ?? (f.stat.toUpperCase() === 'DELIVRD' ? 1 : 0);
  const text = (f.text ?? '').slice(0, dialect.textLength ?? 20);
  return (
    `id:${id} sub:${three(f.sub ?? 1)} dlvrd:${three(dlvrd)} submit date:${date(f.submit_date)} done date:${date(f.done_date)}` +
    ` stat:${f.stat} err:${three(f.err ?? 0)} ${dialect.textKey ?? 'text'}:${text}`
  );
}

function convertId(id: string, to: 'as-is' | 'decimal' | 'hex'): string {
  if (to === 'as-is') return id;
  // written in lower-case hex / decimal, or as given when it cannot be written so
  return receiptIdInForm(id, to === 'decimal' ? 'hexToDecimal' : 'decimalToHex') ?? id;
}

// Receipts come in bursts that share their dates: the last two formatted are kept (a receipt's submit date and its
// done date alternate), keyed by the unit they show and the digits.
const dateKeys = [Number.NaN, Number.NaN];
const dateTexts = ['', ''];
let dateNext = 0;

/**
 * A receipt date as its text: YYMMDDhhmm (10 digits) or YYMMDDhhmmss (12) of `ms` (epoch milliseconds) shifted by
 * `offsetMinutes` and written as UTC (receipt dates carry no zone).
 */
export function receiptDateText(ms: number, digits: 10 | 12, offsetMinutes = 0): string {
  const t = ms + offsetMinutes * 60_000;
  const key = Math.floor(t / (digits === 12 ? 1000 : 60_000)) * 16 + digits; // digits (< 16) in the low bits
  if (key === dateKeys[0]) return dateTexts[0]!;
  if (key === dateKeys[1]) return dateTexts[1]!;
  const l = new Date(t);
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  let s =
    p(l.getUTCFullYear() % 100) +
    p(l.getUTCMonth() + 1) +
    p(l.getUTCDate()) +
    p(l.getUTCHours()) +
    p(l.getUTCMinutes());
  if (digits === 12) s += p(l.getUTCSeconds());
  dateKeys[dateNext] = key;
  dateTexts[dateNext] = s;
  dateNext ^= 1;
  return s;
}

export interface ParsedReceipt {
  id?: string;
  sub?: string;
  dlvrd?: string;
  /** the date read as UTC (receipt dates carry no zone), when it has 10, 12 or 14 digits */
  submit_date?: Date;
  done_date?: Date;
  /** the dates as they appear in the text */
  submit_date_text?: string;
  done_date_text?: string;
  stat?: string;
  /** the message_state of stat, when stat is a known receipt state */
  message_state?: number;
  err?: string;
  /** everything after text: (it may contain spaces and colons) */
  text?: string;
}

// Labels, found by hand (this runs once per receipt on a client's hot path): a label starts the text or follows
// whitespace, ',' or ';', is one of the words below in any case ("submit date" also with '_'), and ends at ':'
// (whitespace allowed before it). The scan jumps from ':' to ':' and reads the label backwards from each.
const enum Key {
  Id,
  Sub,
  Dlvrd,
  SubmitDate,
  DoneDate,
  Stat,
  Err,
  Text,
}

/** The labels by their last letter (longer words first where one ends another). */
const ENDS_D: ReadonlyArray<readonly [string, Key]> = [
  ['dlvrd', Key.Dlvrd],
  ['id', Key.Id],
];
const ENDS_B: ReadonlyArray<readonly [string, Key]> = [['sub', Key.Sub]];
const ENDS_E: ReadonlyArray<readonly [string, Key]> = [
  ['submit date', Key.SubmitDate],
  ['done date', Key.DoneDate],
];
const ENDS_T: ReadonlyArray<readonly [string, Key]> = [
  ['stat', Key.Stat],
  ['text', Key.Text],
];
const ENDS_R: ReadonlyArray<readonly [string, Key]> = [['err', Key.Err]];
function labelsEndingWith(c: number): ReadonlyArray<readonly [string, Key]> | undefined {
  switch (c | 0x20) {
    case 0x64:
      return ENDS_D;
    case 0x62:
      return ENDS_B;
    case 0x65:
      return ENDS_E;
    case 0x74:
      return ENDS_T;
    case 0x72:
      return ENDS_R;
    default:
      return undefined;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/** May a label start at i: the start of the text, or after whitespace, ',' or ';'? */
function labelMayStart(s: string, i: number): boolean {
  if (i === 0) return true;
  const p = s.charCodeAt(i - 1);
  return isSpace(p) || p === 0x2c || p === 0x3b;
}

/** Is word w (lower case; a space in it also matches '_') at s[i], in any case? */
function wordAt(s: string, i: number, w: string): boolean {
  for (let j = 0; j < w.length; j++) {
    const c = s.charCodeAt(i + j);
    const wc = w.charCodeAt(j);
    if (wc === 0x20 ? c !== 0x20 && c !== 0x5f : (c | 0x20) !== wc) return false;
  }
  return true;
}

/** set by labelBefore: the index where the label starts */
let labelStart = 0;

/** The key of the label ended by the ':' at index colon (its start in labelStart), or -1. */
function labelBefore(s: string, colon: number): Key | -1 {
  let end = colon;
  while (end > 0 && isSpace(s.charCodeAt(end - 1))) end--;
  if (end === 0) return -1;
  const words = labelsEndingWith(s.charCodeAt(end - 1));
  if (words === undefined) return -1;
  for (const [w, key] of words) {
    const start = end - w.length;
    if (start < 0 || !wordAt(s, start, w) || !labelMayStart(s, start)) continue;
    labelStart = start;
    return key;
  }
  return -1;
}

/** A field's value: what lies between its label and the next, without surrounding whitespace or a trailing ',' / ';'. */
function fieldValue(s: string, from: number, to: number): string {
  while (from < to && isSpace(s.charCodeAt(from))) from++;
  while (to > from) {
    const c = s.charCodeAt(to - 1);
    if (!isSpace(c) && c !== 0x2c && c !== 0x3b) break;
    to--;
  }
  return s.slice(from, to);
}

/**
 * Parses a receipt text, tolerant of what real MCs send: fields missing or reordered, keys in any case,
 * 10-, 12- or 14-digit dates, any id format, `text:` with spaces and colons taking the rest of the string.
 * Returns null when the text has neither an id: nor a stat: field. The canonical layout is read in one pass
 * (parseCanonicalReceipt), anything else by parseReceiptGeneral; both give the same for the canonical layout.
 */
export function parseReceipt(input: string): ParsedReceipt | null {
  return parseCanonicalReceipt(input) ?? parseReceiptGeneral(input);
}

/** set by canonicalValue: where the next value starts */
let canonicalNext = 0;

/** Would the general reading trim this character from the end of a value (whitespace, ',', ';')? */
function trimmedAtEnd(c: number): boolean {
  return c === 0x2c || c === 0x3b || isSpace(c);
}

/**
 * The canonical value at i, ended by `label` (' sub:' …; or `alt`), or undefined when the general reading could
 * read it otherwise: a ':' before the label's (it might end another label), or what it trims around a value.
 * canonicalNext: just after the label.
 */
function canonicalValue(s: string, i: number, label: string, alt = label): string | undefined {
  const next = s.indexOf(':', i) + 1;
  const end = next - label.length;
  if (next === 0 || end < i || (!s.startsWith(label, end) && (alt === label || !s.startsWith(alt, end)))) {
    return undefined;
  }
  if (end > i && (isSpace(s.charCodeAt(i)) || trimmedAtEnd(s.charCodeAt(end - 1)))) return undefined;
  canonicalNext = next;
  return s.slice(i, end);
}

/**
 * The canonical layout, as most MCs (and the simulator) write it, read without looking for labels: `id:I sub:S
 * dlvrd:D submit date:T done date:T stat:S err:E text:…`, the labels in this order and lower case (`Text:` too, the
 * spec's example), one space before each, no ':' in a value but the text's, none starting with whitespace or ending
 * with whitespace, ',' or ';'.
 * undefined for any other text (parseReceipt then reads it the general way, which gives the same for this layout:
 * a property test compares them).
 */
export function parseCanonicalReceipt(s: string): ParsedReceipt | undefined {
  if (s.charCodeAt(0) !== 0x69 || s.charCodeAt(1) !== 0x64 || s.charCodeAt(2) !== 0x3a) return undefined;
  const id = canonicalValue(s, 3, ' sub:');
  if (id === undefined) return undefined;
  const sub = canonicalValue(s, canonicalNext, ' dlvrd:');
  if (sub === undefined) return undefined;
  const dlvrd = canonicalValue(s, canonicalNext, ' submit date:');
  if (dlvrd === undefined) return undefined;
  const submitText = canonicalValue(s, canonicalNext, ' done date:');
  if (submitText === undefined) return undefined;
  const doneText = canonicalValue(s, canonicalNext, ' stat:');
  if (doneText === undefined) return undefined;
  const stat = canonicalValue(s, canonicalNext, ' err:');
  if (stat === undefined) return undefined;
  const err = canonicalValue(s, canonicalNext, ' text:', ' Text:');
  if (err === undefined) return undefined;
  const text = s.slice(canonicalNext);
  const submitDate = parseReceiptDate(submitText);
  const doneDate = parseReceiptDate(doneText);
  const state = messageStateOfStat(stat);
  if (submitDate && doneDate && state !== undefined) {
    // the common receipt: every field, made in one shape
    return {
      id,
      sub,
      dlvrd,
      submit_date_text: submitText,
      done_date_text: doneText,
      stat,
      err,
      text,
      submit_date: submitDate,
      done_date: doneDate,
      message_state: state,
    };
  }
  const r: ParsedReceipt = {
    id,
    sub,
    dlvrd,
    submit_date_text: submitText,
    done_date_text: doneText,
    stat,
    err,
    text,
  };
  if (submitDate) r.submit_date = submitDate;
  if (doneDate) r.done_date = doneDate;
  if (state !== undefined) r.message_state = state;
  return r;
}

/** parseReceipt's general reading (any layout), without the canonical fast path. */
export function parseReceiptGeneral(input: string): ParsedReceipt | null {
  const r: ParsedReceipt = {};
  let key: Key | -1 = -1;
  let valueStart = 0;
  const n = input.length;
  for (let colon = input.indexOf(':'); colon >= 0; colon = input.indexOf(':', colon + 1)) {
    const next = labelBefore(input, colon);
    if (next === -1) continue;
    if (key !== -1) setField(r, key, fieldValue(input, valueStart, labelStart));
    key = next;
    valueStart = colon + 1;
    if (next === Key.Text) break; // the text is the remainder, whatever it contains
  }
  if (key === Key.Text) r.text = input.slice(valueStart);
  else if (key !== -1) setField(r, key, fieldValue(input, valueStart, n));
  if (r.id === undefined && r.stat === undefined) return null;
  if (r.submit_date_text !== undefined) {
    const d = parseReceiptDate(r.submit_date_text);
    if (d) r.submit_date = d;
  }
  if (r.done_date_text !== undefined) {
    const d = parseReceiptDate(r.done_date_text);
    if (d) r.done_date = d;
  }
  if (r.stat !== undefined) {
    const st = messageStateOfStat(r.stat);
    if (st !== undefined) r.message_state = st;
  }
  return r;
}

/** The first occurrence of a field wins. */
function setField(r: ParsedReceipt, key: Key, value: string): void {
  switch (key) {
    case Key.Id:
      r.id ??= value;
      break;
    case Key.Sub:
      r.sub ??= value;
      break;
    case Key.Dlvrd:
      r.dlvrd ??= value;
      break;
    case Key.SubmitDate:
      r.submit_date_text ??= value;
      break;
    case Key.DoneDate:
      r.done_date_text ??= value;
      break;
    case Key.Stat:
      r.stat ??= value;
      break;
    case Key.Err:
      r.err ??= value;
      break;
    case Key.Text:
      break;
  }
}

/** Digits s[i..i+len) as a number, or -1 when one is not a digit. */
function digits(s: string, i: number, len: number): number {
  let v = 0;
  for (let k = i; k < i + len; k++) {
    const d = s.charCodeAt(k) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

// Receipts in a burst share their dates: the last two dates read are kept (Date.UTC is most of the cost; a receipt's
// submit date and done date alternate).
const datesRead = ['', ''];
const datesReadMs = [0, 0];
let dateReadNext = 0;

/** A receipt date of 10 (YYMMDDhhmm), 12 (YYMMDDhhmmss) or 14 (YYYYMMDDhhmmss) digits, read as UTC. */
export function parseReceiptDate(s: string): Date | undefined {
  if (s === datesRead[0]) return new Date(datesReadMs[0]!);
  if (s === datesRead[1]) return new Date(datesReadMs[1]!);
  const len = s.length;
  if (len !== 10 && len !== 12 && len !== 14) return undefined;
  if (digits(s, 0, len) < 0) return undefined;
  const o = len === 14 ? 2 : 0;
  const y = len === 14 ? digits(s, 0, 4) : 2000 + digits(s, 0, 2);
  const mo = digits(s, o + 2, 2);
  const d = digits(s, o + 4, 2);
  const h = digits(s, o + 6, 2);
  const mi = digits(s, o + 8, 2);
  const se = len >= 12 ? digits(s, o + 10, 2) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  datesRead[dateReadNext] = s;
  datesReadMs[dateReadNext] = ms;
  dateReadNext ^= 1;
  return new Date(ms);
}

export interface Receipt extends ParsedReceipt {
  /** receipted_message_id TLV when present, else the text's id */
  id?: string;
  /** message_state TLV when present, else the state of the text's stat */
  message_state?: number;
  /** the stat of the message_state TLV when present (it wins over the text's stat), else the text's */
  stat?: string;
  network_error_code?: NetworkErrorCode;
  /** esm_class says intermediate notification (0x20) rather than a final MC delivery receipt (0x04) */
  intermediate: boolean;
}

/** A deliver_sm or data_sm carries a receipt: its esm_class says so, or it names a receipted_message_id. */
export function carriesReceipt(pdu: PduOf<'deliver_sm'> | PduOf<'data_sm'>): boolean {
  const type = pdu.esm_class & EsmClass.TYPE_MASK;
  return (
    type === EsmClass.TYPE_MC_DELIVERY_RECEIPT ||
    type === EsmClass.TYPE_INTERMEDIATE_NOTIFICATION ||
    pdu.tlvs?.receipted_message_id !== undefined
  );
}

/** The octets a receipt's text is in: short_message when it has any, else message_payload. */
export function receiptOctets(pdu: PduOf<'deliver_sm'> | PduOf<'data_sm'>): Buffer | undefined {
  return 'short_message' in pdu && pdu.short_message && pdu.short_message.length > 0
    ? pdu.short_message
    : pdu.tlvs?.message_payload;
}

/**
 * Reads the receipt carried by a deliver_sm or data_sm: the TLVs receipted_message_id, message_state and
 * network_error_code (preferred when present) and the text in short_message or message_payload.
 * Returns null when the PDU is not a receipt (esm_class not a receipt type and no receipted_message_id).
 */
export function receiptFromPdu(pdu: PduOf<'deliver_sm'> | PduOf<'data_sm'>): Receipt | null {
  if (!carriesReceipt(pdu)) return null;
  const tlvs = pdu.tlvs ?? {};
  const bytes = receiptOctets(pdu);
  const r = ((bytes ? parseReceipt(bytes.toString('latin1')) : null) ?? {}) as Receipt;
  r.intermediate = (pdu.esm_class & EsmClass.TYPE_MASK) === EsmClass.TYPE_INTERMEDIATE_NOTIFICATION;
  if (tlvs.receipted_message_id !== undefined) r.id = tlvs.receipted_message_id;
  if (tlvs.message_state !== undefined) {
    // the TLV wins over the text's stat (the text is free-form, the TLV is the spec's field)
    r.message_state = tlvs.message_state;
    const stat = statOfMessageState(tlvs.message_state);
    if (stat !== undefined) r.stat = stat;
    else r.stat ??= `STATE_${tlvs.message_state}`;
  }
  if (tlvs.network_error_code !== undefined) r.network_error_code = tlvs.network_error_code;
  return r;
}
