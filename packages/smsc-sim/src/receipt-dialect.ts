// Receipt text in an account's dialect: id in hex or decimal, 10- or 12-digit dates, 'Text:' or 'text:'.
// Dates are written in UTC (the simulator's "local" time).
import type { ReceiptDialect } from './config.js';

export interface ReceiptFields {
  id: string;
  sub: number;
  dlvrd: number;
  submitDate: Date;
  doneDate: Date;
  /** receipt stat text: DELIVRD, UNDELIV, … */
  stat: string;
  err: number;
  /** original text; the first 20 characters are written */
  text: string;
}

const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');

export function receiptDate(d: Date, digits: 10 | 12): string {
  const s = `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}`;
  return digits === 12 ? s + p2(d.getUTCSeconds()) : s;
}

export function formatReceiptText(f: ReceiptFields, d: ReceiptDialect): string {
  const text = [...f.text].slice(0, 20).join('');
  return (
    `id:${f.id} sub:${p3(f.sub)} dlvrd:${p3(f.dlvrd)} submit date:${receiptDate(f.submitDate, d.dateDigits)} ` +
    `done date:${receiptDate(f.doneDate, d.dateDigits)} stat:${f.stat} err:${p3(f.err)} ${d.lowerCaseKeys ? 'text' : 'Text'}:${text}`
  );
}
