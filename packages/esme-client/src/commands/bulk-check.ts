// esme bulk, the pre-flight pass: the whole file is read and checked once, before anything is sent — the
// template, the sender, the input encoding and delimiter, the header (named, unique, holding the destination column
// and every template field), then each row: its destination, its rendered text, its encoding and parts. Rows that
// fail are outcomes of their own ('invalid', with the reason); a file that cannot be used at all is a ConfigError.
// classify() is also what the sending pass (bulk-send.ts) applies to each row as it streams the file again.
import { type Address, parseAddress, parseDestination } from '../address.js';
import { type CsvRecord, checkReadable, type InputEncoding, readRecords, sniffDelimiter } from '../bulk/input.js';
import type { RowOutcome } from '../bulk/outfile.js';
import { compileTemplate, missingFields, renderTemplate, type Template } from '../bulk/template.js';
import { ConfigError } from '../errors.js';
import { buildSubmit } from '../message-builder.js';
import { type ClientOptions, defaultOptions } from '../options.js';

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

export type Classified =
  | { kind: 'blank' }
  | { kind: 'invalid'; outcome: RowOutcome }
  | { kind: 'valid'; row: number; to: Required<Address>; text: string; encoding: string; parts: number };

export interface Setup {
  template: Template;
  header: string[];
  index: Map<string, number>;
  from: string;
  toColumn: string;
  country?: string;
  allowShortCodes: boolean;
  builder: ClientOptions;
}

export function classify(rec: CsvRecord, s: Setup): Classified {
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

export const money = (x: number) => Math.round(x * 1e6) / 1e6;

/** What the pre-flight pass found: how to read the file again, and the rows counted. */
export interface Checked {
  setup: Setup;
  encoding: InputEncoding;
  delimiter: string;
  /** The file's SHA-256 (the journal's campaign identity). */
  sha256: string;
  /** Rows that cannot be sent, and (--dry-run) the rows as they would be sent. */
  invalid: RowOutcome[];
  dry: RowOutcome[];
  dataRows: number;
  blank: number;
  valid: number;
  parts: number;
}

/** The pre-flight pass; throws (a ConfigError, or the reading error) when the file cannot be used at all. */
export async function checkCampaign(o: BulkOptions, note: (text: string) => void): Promise<Checked> {
  let setup: Setup;
  const invalid: RowOutcome[] = [];
  let dataRows = 0;
  let blank = 0;
  let valid = 0;
  let parts = 0;
  let sha256 = '';
  const dry: RowOutcome[] = [];
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
  const encoding: InputEncoding =
    o.encoding && /^(utf-?8)$/i.test(o.encoding) ? 'utf8' : o.encoding ? 'latin1' : 'utf8';
  const d = delimiterOf(o);
  const delimiter = d.delimiter;
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
  return { setup: setup!, encoding, delimiter, sha256, invalid, dry, dataRows, blank, valid, parts };
}
