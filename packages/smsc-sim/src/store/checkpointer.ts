// WAL checkpoints off the event loop: a worker thread with its own connection to the same SQLite file runs a
// PASSIVE checkpoint every interval, so copying the WAL into the database (and its fsync) does not stall the
// commits that submit_sm responses wait for. Known limit (issue 16): under steady writes a pass always finds frames
// appended during it, so the WAL never restarts; it grows to the main connection's autocheckpoint threshold, and
// that checkpoint (with its fsyncs) then runs on the event loop.
import { Worker } from 'node:worker_threads';
import { nativeDriverPath } from './sqlite/driver.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); db.close(); parentPort.postMessage('stopped'); }
});
`;

/** how often the worker checkpoints */
const INTERVAL_MS = 500;

export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(path: string, onError: (message: string) => void) {
    const driver = nativeDriverPath();
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, driver, intervalMs: INTERVAL_MS } });
    this.worker.on('message', (m: unknown) => {
      if (m && typeof m === 'object' && 'error' in m) onError(String((m as { error: string }).error));
    });
    this.worker.on('error', (e) => onError(e.message));
    this.worker.unref();
  }

  stop(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    return new Promise((resolve) => {
      const done = () => {
        void this.worker.terminate().then(() => resolve());
      };
      const t = setTimeout(done, 2000);
      this.worker.once('message', () => {
        clearTimeout(t);
        done();
      });
      this.worker.postMessage('stop');
    });
  }
}
