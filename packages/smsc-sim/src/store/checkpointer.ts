// WAL checkpoints, kept off the event loop: a worker thread with its own connection to the same SQLite file copies
// the WAL into the database (and runs the fsyncs), so the commits that submit_sm responses wait for do not.
//
// The WAL must also restart (be written again from its beginning), or it grows: SQLite restarts it at the start of
// a write transaction only if every frame has been copied and no reader is on an older snapshot. Under steady writes
// the worker's PASSIVE pass never gets there (frames are appended while it copies). So: every `intervalMs` the
// worker runs a PASSIVE pass (nobody waits for it). Once the WAL holds `restartPages` frames it passes again until a
// pass leaves at most `catchUpFrames` (or 5 passes), stops passing and asks the main thread to finish: one PASSIVE
// checkpoint on the main connection, between two commits. The only writer, it copies every frame left (those of
// the worker's last pass: tens to a few hundred at full rate) with its two fsyncs, and the next commit restarts the
// WAL. That is the checkpoint work left on the event loop: small and bounded, once per `restartPages` frames
// (measured: about 10–40 ms on this VM's disk under full load, most of it the two fsyncs). The worker waits for the
// main thread's answer before its next pass (its pass would make that checkpoint busy, and the read lock a pass
// holds would keep the next commit from restarting the WAL). A reader in another process holding an old snapshot
// (`sqlite3 file` in an open transaction) delays the restart until it is done; the WAL then grows meanwhile.
// The main connection's wal_autocheckpoint stays as a safety net only (message-store.ts), should the worker stop.
import { Worker } from 'node:worker_threads';
import type { SettledMark, SettleFound } from './settled.js';
import { fileOpenName, nativeDriverPath, type SqlDatabase } from './sqlite/driver.js';
import { FIRST_NEEDING_SQL } from './statements.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { path, intervalMs, restartPages, catchUpFrames, firstNeedingSql } = workerData;
const db = new Database(path);
const firstNeeding = firstNeedingSql ? db.prepare(firstNeedingSql) : null;
const stats = { passes: 0, catchUps: 0, scans: 0 };
let timer = null;
let stopped = false;
let lastLog = -1;
let asked = false;
// a catch-up asked of the main thread, not finished yet; a scan that came meanwhile waits for the next tick (its
// read lock would keep the main thread's next commit from restarting the WAL)
let waiting = false;
let pending = null;
function scan(s) {
  stats.scans++;
  const row = firstNeeding.get({ settled: s.from, to: s.to });
  parentPort.postMessage({ found: { ...s, first: row ? row.id : null } });
}
function tick() {
  try {
    if (pending) {
      const s = pending;
      pending = null;
      scan(s);
    }
    stats.passes++;
    let r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // the settled mark (settled.ts): idle (nothing written since the last tick), the next chunk; under load, one
    // while the rows above the mark exceed its backlog (the main thread decides)
    if (firstNeeding && !asked) {
      asked = true;
      parentPort.postMessage({ settle: r.log === lastLog });
    }
    lastLog = r.log;
    if (r.log >= restartPages) {
      // passes until one is short (what it leaves is what the main connection copies)
      for (let i = 0; i < 4 && r.log - r.checkpointed > catchUpFrames; i++) r = db.pragma('wal_checkpoint(PASSIVE)')[0];
      stats.catchUps++;
      // no pass of ours until the main connection has finished (a pass would make its checkpoint busy, and the
      // read lock a pass holds keeps the next commit from restarting the WAL)
      waiting = true;
      parentPort.postMessage({ catchUp: r.checkpointed });
      return;
    }
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
  if (!stopped) timer = setTimeout(tick, intervalMs);
}
timer = setTimeout(tick, intervalMs);
parentPort.on('message', (m) => {
  if (m === 'finished') {
    waiting = false;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  }
  if (m && m.scan && !stopped) {
    if (waiting) pending = m.scan;
    else {
      try {
        scan(m.scan);
      } catch (e) {
        parentPort.postMessage({ error: String((e && e.message) || e) });
      }
    }
  }
  if (m && (m.scan || m.noScan)) asked = false;
  if (m === 'stats') parentPort.postMessage({ stats });
  if (m === 'stop') { stopped = true; clearTimeout(timer); db.close(); parentPort.postMessage({ stopped: stats }); }
});
`;

export interface CheckpointerOptions {
  /** how often the worker runs a PASSIVE pass (ms) */
  intervalMs?: number;
  /** WAL frames (pages) from which the main connection finishes the worker's pass, so that the WAL restarts */
  restartPages?: number;
  /** the worker passes again while its last pass left more than this many frames */
  catchUpFrames?: number;
  /** messages the worker scans at most per tick to move the settled mark up (settled.ts): idle, or over its backlog */
  settleRows?: number;
}

/** The main connection's side: runs a PASSIVE checkpoint on it (it completes: no other writer). */
export interface CheckpointTarget {
  readonly path: string | null;
  /** the settled mark, moved up by the worker when the file is idle or the mark is over its backlog (settled.ts) */
  readonly settled?: SettledMark;
  /** every message inserted up to this id has been committed */
  readonly committedThrough: number;
  /** commits what is pending */
  flush(): void;
  /** the main connection (open until the Checkpointer is stopped) */
  readonly db: SqlDatabase;
}

export interface CheckpointStats {
  /** PASSIVE passes of the worker */
  passes: number;
  /** checkpoints finished on the main connection (each restarts the WAL at the next commit) */
  finished: number;
  /** the longest of those (ms): what the event loop spent on checkpoints */
  finishMaxMs: number;
  /** all of them (ms) */
  finishTotalMs: number;
  /** the most frames one of them copied */
  framesMax: number;
  /** those that could not copy every frame (a reader in another connection on an older snapshot): no restart */
  incomplete: number;
  /** chunks given the worker to scan for the settled mark while the file was idle */
  settleScansIdle: number;
  /** and under load (more than the mark's backlog above it) */
  settleScansUnderLoad: number;
}

export const CHECKPOINT_DEFAULTS: Required<CheckpointerOptions> = {
  intervalMs: 100,
  restartPages: 4096,
  catchUpFrames: 64,
  settleRows: 50_000,
};

/** A PASSIVE checkpoint on the main connection (the only writer: it copies every frame left, so the WAL restarts). */
function finishCheckpoint(db: SqlDatabase): { log: number; checkpointed: number } {
  if (db.inTransaction) return { log: 0, checkpointed: 0 };
  return (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>)[0]!;
}

export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;
  private readonly main = {
    finished: 0,
    finishMaxMs: 0,
    finishTotalMs: 0,
    framesMax: 0,
    incomplete: 0,
    settleScansIdle: 0,
    settleScansUnderLoad: 0,
  };

  constructor(target: CheckpointTarget, onError: (message: string) => void, options: CheckpointerOptions = {}) {
    const driver = nativeDriverPath();
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        // the name the main connection opened it by (with SMPPKIT_SQLITE_LOCKING=exclusive a URI: driver.ts)
        path: target.path === null ? null : fileOpenName(target.path),
        driver,
        ...CHECKPOINT_DEFAULTS,
        ...options,
        firstNeedingSql: target.settled ? FIRST_NEEDING_SQL : null,
      },
    });
    this.worker.on('message', (m: unknown) => {
      if (!m || typeof m !== 'object') return;
      if ('error' in m) onError(String((m as { error: string }).error));
      if ('settle' in m)
        this.settleScan(
          target,
          options.settleRows ?? CHECKPOINT_DEFAULTS.settleRows,
          (m as { settle: boolean }).settle,
        );
      if ('found' in m && !this.stopped) target.settled?.advance((m as { found: SettleFound }).found);
      if ('catchUp' in m && !this.stopped) {
        const t = process.hrtime.bigint();
        try {
          const r = finishCheckpoint(target.db);
          const left = r.checkpointed - (m as { catchUp: number }).catchUp;
          if (left > this.main.framesMax) this.main.framesMax = left;
          if (r.checkpointed < r.log) this.main.incomplete++;
        } catch (e) {
          onError((e as Error).message);
        }
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        this.worker.postMessage('finished');
        this.main.finished++;
        this.main.finishTotalMs += ms;
        if (ms > this.main.finishMaxMs) this.main.finishMaxMs = ms;
      }
    });
    this.worker.on('error', (e) => onError(e.message));
    this.worker.unref();
  }

  /**
   * A worker tick: the next chunk for it to scan, if the settled mark is below what is committed and the file is
   * idle, or under load if more than the mark's backlog are above it (one chunk a tick: a bounded rate).
   */
  private settleScan(target: CheckpointTarget, rows: number, idle: boolean): void {
    let scan = null;
    const mark = target.settled;
    if (!this.stopped && mark && (idle || mark.overBacklog(target.committedThrough))) {
      target.flush(); // the worker reads the file: every write so far must be in it
      scan = mark.request(target.committedThrough, rows);
      if (scan && idle) this.main.settleScansIdle++;
      else if (scan) this.main.settleScansUnderLoad++;
    }
    this.worker.postMessage(scan ? { scan } : { noScan: true });
  }

  /** What the worker and the main connection did so far. */
  stats(): Promise<CheckpointStats> {
    return new Promise((resolve) => {
      const on = (m: unknown) => {
        if (m && typeof m === 'object' && 'stats' in m) {
          this.worker.off('message', on);
          this.worker.unref();
          resolve({ passes: (m as { stats: { passes: number } }).stats.passes, ...this.main });
        }
      };
      this.worker.on('message', on);
      this.worker.ref(); // until the answer comes (an unref'd worker's message does not keep the process alive)
      this.worker.postMessage('stats');
    });
  }

  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    return new Promise((resolve) => {
      const done = () => {
        void this.worker.terminate().then(() => resolve());
      };
      const t = setTimeout(done, 2000);
      this.worker.on('message', (m: unknown) => {
        if (m && typeof m === 'object' && 'stopped' in m) {
          clearTimeout(t);
          done();
        }
      });
      this.worker.postMessage('stop');
    });
  }
}
