// RFC 4180 CSV reader for spreadsheet exports: quoted fields with "" escapes, separators and newlines inside quotes,
// CRLF or LF, a UTF-8 BOM, a header row. Rows it cannot read are reported with their row number and the reason,
// never dropped silently.

export interface CsvRow {
  /** Spreadsheet row number: the header is row 1, the first data row is row 2. */
  row: number;
  values: Record<string, string>;
}

export interface CsvProblem {
  row: number;
  reason: string;
}

export interface CsvResult {
  header: string[];
  rows: CsvRow[];
  invalid: CsvProblem[];
}

interface RawRecord {
  line: number;
  fields: string[];
  error?: string;
}

/** Split CSV text into records (arrays of fields), each with the line it starts on. */
export function parseCsvRecords(text: string, delimiter = ','): RawRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quotedField = false;
  let error: string | undefined;
  const n = text.length;
  const endRecord = () => {
    fields.push(field);
    // A blank line (one empty unquoted field) is not a record.
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) {
      const rec: RawRecord = { line: recordLine, fields };
      if (error) rec.error = error;
      records.push(rec);
    }
    fields = [];
    field = '';
    quotedField = false;
    error = undefined;
  };
  while (i < n) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        // After a closing quote only a delimiter or the end of the record may follow.
        const next = text[i];
        if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
          error ??= `unexpected character '${next}' after closing quote in field ${fields.length + 1}`;
        }
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      quotedField = true;
      i++;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    if (c === '"') error ??= `stray quote in unquoted field ${fields.length + 1}`;
    field += c;
    i++;
  }
  if (inQuotes) error ??= `unterminated quoted field ${fields.length + 1} (opened on line ${recordLine})`;
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}

/** Parse CSV text with a header row into named rows; rows with the wrong field count or bad quoting are invalid. */
export function parseCsv(text: string, delimiter = ','): CsvResult {
  const records = parseCsvRecords(text, delimiter);
  const first = records.shift();
  if (!first) return { header: [], rows: [], invalid: [{ row: 1, reason: 'file is empty: no header row' }] };
  const header = first.fields.map((h) => h.trim());
  const rows: CsvRow[] = [];
  const invalid: CsvProblem[] = [];
  if (first.error) invalid.push({ row: 1, reason: `header: ${first.error}` });
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') invalid.push({ row: 1, reason: `header column ${i + 1} has no name` });
    else if (seen.has(h)) invalid.push({ row: 1, reason: `header column '${h}' appears twice` });
    seen.add(h);
  });
  // Row numbers count records (a quoted field may span lines), header = 1.
  records.forEach((rec, index) => {
    const row = index + 2;
    if (rec.error) {
      invalid.push({ row, reason: rec.error });
      return;
    }
    if (rec.fields.length !== header.length) {
      invalid.push({ row, reason: `has ${rec.fields.length} fields, the header has ${header.length}` });
      return;
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => {
      values[h] = rec.fields[i]!;
    });
    rows.push({ row, values });
  });
  return { header, rows, invalid };
}
