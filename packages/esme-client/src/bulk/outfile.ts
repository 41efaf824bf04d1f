// --out FILE: each row's outcome as it completes, CSV (.csv) or JSON lines (.jsonl, .ndjson, .json).
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { ConfigError } from '../errors.js';

export interface RowOutcome {
  row: number;
  to?: string;
  status: 'invalid' | 'sent' | 'failed' | 'dry-run';
  reason?: string;
  messageIds?: string[];
  receipt?: string;
  text?: string;
  encoding?: string;
  parts?: number;
  cost?: number;
}

const CSV_COLUMNS = ['row', 'destination', 'message_ids', 'status', 'error', 'receipt'] as const;

function csvField(v: string): string {
  return /[",\r\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export class OutFile {
  private readonly fd: number;
  private readonly csv: boolean;

  /** `append`: a resumed campaign adds to the file of the earlier run. */
  constructor(
    readonly path: string,
    append: boolean,
  ) {
    if (/\.csv$/i.test(path)) this.csv = true;
    else if (/\.(jsonl|ndjson|json)$/i.test(path)) this.csv = false;
    else throw new ConfigError(`--out '${path}' must end in .csv or .jsonl (the extension picks the format)`);
    const had = append && existsSync(path) && statSync(path).size > 0;
    try {
      this.fd = openSync(path, append ? 'a' : 'w');
    } catch (err) {
      throw new ConfigError(`--out '${path}' cannot be written: ${(err as Error).message}`);
    }
    if (this.csv && !had) writeSync(this.fd, CSV_COLUMNS.join(',') + '\n');
  }

  write(o: RowOutcome): void {
    if (this.csv) {
      const error = o.status === 'sent' ? '' : (o.reason ?? '');
      const cols = [String(o.row), o.to ?? '', (o.messageIds ?? []).join(' '), o.status, error, o.receipt ?? ''];
      writeSync(this.fd, cols.map(csvField).join(',') + '\n');
    } else writeSync(this.fd, JSON.stringify(o) + '\n');
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
  }
}
