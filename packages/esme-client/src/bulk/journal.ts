// The bulk journal: one JSON line per event, written (synchronously) before each submit and after its outcome,
// so that after Ctrl-C — or a crash — it says exactly which rows went out. A rerun with the same journal skips
// the rows accepted, sends the rest, and does not resend a row whose submit has no outcome (it may have gone out)
// unless told to. The first line names the campaign (file hash, template, sender), so a journal is never applied
// to another campaign's file.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ConfigError } from '../errors.js';

export interface Campaign {
  csv: string;
  sha256: string;
  template: string;
  from: string;
  toColumn: string;
}

export type RowState =
  | { state: 'submitting' }
  | { state: 'accepted'; ids: string[] }
  | { state: 'failed'; status: string };

export interface JournalEntry {
  row: number;
  state: 'submitting' | 'accepted' | 'failed' | 'receipt';
  to?: string;
  ids?: string[];
  status?: string;
  stat?: string;
  at: string;
}

export class Journal {
  private fd: number;
  /** Row → its last submit state in the journal (from earlier runs). */
  readonly previous = new Map<number, RowState>();
  readonly resumed: boolean;

  constructor(
    readonly path: string,
    campaign: Campaign,
  ) {
    let lines: string[] = [];
    if (existsSync(path)) {
      try {
        lines = readFileSync(path, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '');
      } catch (err) {
        throw new ConfigError(`--journal '${path}' cannot be read: ${(err as Error).message}`);
      }
    }
    this.resumed = lines.length > 0;
    if (this.resumed) {
      let head: Partial<Campaign> & { journal?: string };
      try {
        head = JSON.parse(lines[0]!);
      } catch {
        throw new ConfigError(`--journal '${path}' is not an esme bulk journal (its first line is not JSON)`);
      }
      if (head.journal !== 'esme bulk') throw new ConfigError(`--journal '${path}' is not an esme bulk journal`);
      for (const k of ['sha256', 'template', 'from', 'toColumn'] as const) {
        if (head[k] !== campaign[k]) {
          const what =
            k === 'sha256'
              ? `the file '${campaign.csv}' differs from the one it was written for ('${head.csv}')`
              : `its ${k} was '${head[k]}', now '${campaign[k]}'`;
          throw new ConfigError(
            `--journal '${path}' belongs to another campaign: ${what}. Give another --journal (or remove it) to start afresh`,
          );
        }
      }
      lines.slice(1).forEach((line, i) => {
        let e: JournalEntry;
        try {
          e = JSON.parse(line);
        } catch {
          // a torn last line (killed while writing) says nothing; anywhere else the journal is damaged
          if (i === lines.length - 2) return;
          throw new ConfigError(`--journal '${path}' line ${i + 2} is not JSON: the journal is damaged`);
        }
        if (typeof e.row !== 'number') return;
        if (e.state === 'submitting') this.previous.set(e.row, { state: 'submitting' });
        else if (e.state === 'accepted') this.previous.set(e.row, { state: 'accepted', ids: e.ids ?? [] });
        else if (e.state === 'failed') this.previous.set(e.row, { state: 'failed', status: e.status ?? '?' });
      });
    }
    try {
      this.fd = openSync(path, 'a');
    } catch (err) {
      throw new ConfigError(`--journal '${path}' cannot be written: ${(err as Error).message}`);
    }
    if (!this.resumed) this.line({ journal: 'esme bulk', version: 1, ...campaign, started: new Date().toISOString() });
    else this.line({ resumed: new Date().toISOString() });
  }

  private line(obj: object): void {
    writeSync(this.fd, JSON.stringify(obj) + '\n');
  }

  record(e: Omit<JournalEntry, 'at'>): void {
    this.line({ ...e, at: new Date().toISOString() });
  }

  close(): void {
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch {
      // closed already
    }
  }
}
