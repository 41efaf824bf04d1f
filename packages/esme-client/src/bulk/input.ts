// The campaign file as a stream of rows: csv-parse over the file, UTF-8 checked as it is read (or read as Latin-1
// when told), the delimiter given or sniffed from the header line, each row numbered as a spreadsheet shows it
// (the header is row 1; blank lines are rows too). Nothing is held in memory but the row being read.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { ConfigError } from '../errors.js';

export type InputEncoding = 'utf8' | 'latin1';

export interface CsvRecord {
  /** Spreadsheet row number (header = 1). */
  row: number;
  /** The fields; a blank line gives []. */
  fields: string[];
}

/** Not UTF-8: where, and what to do about it. */
export class NotUtf8Error extends ConfigError {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly line: number,
    readonly byte: number,
  ) {
    super(
      `--csv '${file}' is not UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} on line ${line} (offset ${offset}) ` +
        `is not valid UTF-8. If it is Latin-1 / Windows-1252 (a spreadsheet's plain "CSV" export), give --encoding latin1`,
    );
  }
}

/** Checks UTF-8 as bytes pass (sequences split across chunks are fine); counts lines for the error. */
class Utf8Check extends Transform {
  private need = 0;
  private offset = 0;
  private line = 1;
  private min = 0;
  constructor(private readonly file: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.need > 0) {
        if ((b & 0xc0) !== 0x80 || (this.min > 0 && b < this.min))
          return done(new NotUtf8Error(this.file, this.offset + i, this.line, b));
        this.min = 0;
        this.need--;
        continue;
      }
      if (b === 0x0a) this.line++;
      if (b < 0x80) continue;
      if (b >= 0xc2 && b <= 0xdf) this.need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        this.need = 2;
        this.min = b === 0xe0 ? 0xa0 : 0;
      } else if (b >= 0xf0 && b <= 0xf4) {
        this.need = 3;
        this.min = b === 0xf0 ? 0x90 : 0;
      } else return done(new NotUtf8Error(this.file, this.offset + i, this.line, b));
    }
    this.offset += chunk.length;
    done(null, chunk);
  }
  override _flush(done: TransformCallback): void {
    if (this.need > 0) return done(new NotUtf8Error(this.file, this.offset, this.line, 0));
    done();
  }
}

/** Latin-1 bytes → UTF-8 text for the parser. */
class Latin1ToUtf8 extends Transform {
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, Buffer.from(chunk.toString('latin1'), 'utf8'));
  }
}

/** The first line of the file (outside quotes), to sniff the delimiter. */
function headerLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('latin1');
    let inQuotes = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') inQuotes = !inQuotes;
      else if (!inQuotes && (c === '\n' || c === '\r')) return text.slice(0, i);
    }
    return text;
  } finally {
    closeSync(fd);
  }
}

/** ',' unless the header line has more ';' or tabs outside quotes (European spreadsheet exports use ';'). */
export function sniffDelimiter(file: string): string {
  const line = headerLine(file).replace(/"[^"]*"/g, '');
  const count = (c: string) => line.split(c).length - 1;
  const candidates: Array<[string, number]> = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ',';
}

export function checkReadable(file: string): number {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new ConfigError(`--csv '${file}' is not a file`);
    return st.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`--csv '${file}' cannot be read: ${(err as Error).message}`);
  }
}

export interface ReadOptions {
  encoding: InputEncoding;
  delimiter: string;
  /** Receives the SHA-256 of the file's bytes once it is read through. */
  onHash?: (hex: string) => void;
}

/** Every record of the file, numbered; a malformed file (an unterminated quote) throws naming the line. */
export async function* readRecords(file: string, o: ReadOptions): AsyncGenerator<CsvRecord> {
  const hash = createHash('sha256');
  const source = createReadStream(file);
  source.on('data', (c) => hash.update(c as Buffer));
  const decoded = o.encoding === 'latin1' ? source.pipe(new Latin1ToUtf8()) : source.pipe(new Utf8Check(file));
  source.on('error', (err) => decoded.destroy(err));
  const parser = decoded.pipe(
    parse({
      bom: true,
      delimiter: o.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }),
  );
  decoded.on('error', (err) => parser.destroy(err));
  let row = 0;
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      row++;
      const fields = r.record.length === 1 && r.record[0] === '' ? [] : r.record;
      yield { row, fields };
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const e = err as Error & { code?: string; lines?: number };
    throw new ConfigError(
      `--csv '${file}' cannot be read past row ${row + 1}${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`,
    );
  } finally {
    source.destroy();
  }
  o.onHash?.(hash.digest('hex'));
}
