// The delivery pending flags (set_dpf): which account, from which of its source addresses, is owed an
// alert_notification when a handset becomes available. Kept in their own table of the message store's database,
// so they survive a restart; bounded (MAX_DPF_FLAGS rows: past it the oldest flag is dropped, counted and logged).
// A flag is written when its message is accepted (set_at = when the planned failure happens); whether that failure
// did happen is read from the message when the address becomes available (delivery/alerts.ts). Written directly,
// not through the group commit: a flag whose message was lost with a failed commit is found stale and dropped.
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

export const MAX_DPF_FLAGS = 10_000;

export const DPF_DDL = `CREATE TABLE IF NOT EXISTS dpf_flags (
  id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL, system_id TEXT NOT NULL,
  esme_ton INTEGER NOT NULL, esme_npi INTEGER NOT NULL, esme_addr TEXT NOT NULL,
  ms_ton INTEGER NOT NULL, ms_npi INTEGER NOT NULL, ms_addr TEXT NOT NULL,
  set_at INTEGER NOT NULL, owed_at INTEGER
);
CREATE INDEX IF NOT EXISTS dpf_flags_ms ON dpf_flags(ms_addr);
CREATE INDEX IF NOT EXISTS dpf_flags_owed ON dpf_flags(system_id) WHERE owed_at IS NOT NULL;`;

export interface DpfFlag {
  id: number;
  messageId: number;
  systemId: string;
  esmeTon: number;
  esmeNpi: number;
  esmeAddr: string;
  msTon: number;
  msNpi: number;
  msAddr: string;
  setAt: number;
  owedAt: number | null;
}

const COLUMNS = `id, message_id AS messageId, system_id AS systemId, esme_ton AS esmeTon, esme_npi AS esmeNpi,
  esme_addr AS esmeAddr, ms_ton AS msTon, ms_npi AS msNpi, ms_addr AS msAddr, set_at AS setAt, owed_at AS owedAt`;

export class DpfFlags {
  private readonly st: Record<'insert' | 'count' | 'oldest' | 'ofAddress' | 'owed' | 'owe' | 'remove', SqlStatement>;
  private n: number;
  /** flags dropped because the table was full */
  dropped = 0;

  constructor(
    db: SqlDatabase,
    readonly max = MAX_DPF_FLAGS,
  ) {
    db.exec(DPF_DDL);
    this.st = {
      insert: db.prepare(
        'INSERT INTO dpf_flags (message_id, system_id, esme_ton, esme_npi, esme_addr, ms_ton, ms_npi, ms_addr, set_at) VALUES (?,?,?,?,?,?,?,?,?)',
      ),
      count: db.prepare('SELECT COUNT(*) AS n FROM dpf_flags'),
      oldest: db.prepare('DELETE FROM dpf_flags WHERE id = (SELECT MIN(id) FROM dpf_flags)'),
      ofAddress: db.prepare(`SELECT ${COLUMNS} FROM dpf_flags WHERE ms_addr = ? ORDER BY id`),
      owed: db.prepare(`SELECT ${COLUMNS} FROM dpf_flags WHERE system_id = ? AND owed_at IS NOT NULL ORDER BY id`),
      owe: db.prepare('UPDATE dpf_flags SET owed_at = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM dpf_flags WHERE id = ?'),
    };
    this.n = (this.st.count.get() as { n: number }).n;
  }

  get size(): number {
    return this.n;
  }

  /** A new flag; true when the oldest one was dropped to make room. */
  add(f: Omit<DpfFlag, 'id' | 'owedAt'>): boolean {
    let full = false;
    if (this.n >= this.max) {
      this.st.oldest.run();
      this.n--;
      this.dropped++;
      full = true;
    }
    this.st.insert.run(f.messageId, f.systemId, f.esmeTon, f.esmeNpi, f.esmeAddr, f.msTon, f.msNpi, f.msAddr, f.setAt);
    this.n++;
    return full;
  }

  /** Every flag on this handset's address (owed or not). */
  ofAddress(msAddr: string): DpfFlag[] {
    return this.st.ofAddress.all(msAddr) as DpfFlag[];
  }

  /** The alerts owed to an account. */
  owed(systemId: string): DpfFlag[] {
    // asked at every bind: no query while there is no flag at all (the usual case)
    if (this.n === 0) return [];
    return this.st.owed.all(systemId) as DpfFlag[];
  }

  owe(id: number, at: number): void {
    this.st.owe.run(at, id);
  }

  remove(id: number): void {
    if (this.st.remove.run(id).changes) this.n--;
  }
}
