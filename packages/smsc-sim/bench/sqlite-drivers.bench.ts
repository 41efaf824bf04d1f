// The two SQLite drivers of a memory store side by side: 100k single-row inserts through one prepared statement in
// one transaction (the store's group commit, at a scale), then one read of every row. Each driver runs in its own
// child process (same start for both: nothing compiled or cached by the other). Prints JSON.
//   node scripts/run.mjs bench packages/smsc-sim/bench/sqlite-drivers.bench.ts
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase, prepareSqlDriver } from '../src/store/sqlite/driver.js';

const ROWS = 100_000;
const [role] = process.argv.slice(2);

async function measure(): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const driver = await prepareSqlDriver(':memory:');
  const db = openDatabase(':memory:');
  const openMs = performance.now() - t0;
  db.exec(
    'CREATE TABLE messages (id INTEGER PRIMARY KEY, mid TEXT NOT NULL, system_id TEXT NOT NULL, dest_addr TEXT NOT NULL, submitted_at INTEGER NOT NULL, short_message BLOB NOT NULL)',
  );
  const insert = db.prepare(
    'INSERT INTO messages (id, mid, system_id, dest_addr, submitted_at, short_message) VALUES (?,?,?,?,?,?)',
  );
  const body = Buffer.from('hello from the benchmark, 40 bytes long!');
  const now = Date.now();
  const fill = db.transaction(() => {
    for (let i = 1; i <= ROWS; i++)
      insert.run(i, i.toString(16), 'bench', `4479${String(i).padStart(8, '0')}`, now + i, body);
  });
  const t1 = performance.now();
  fill();
  const insertMs = performance.now() - t1;
  const t2 = performance.now();
  const rows = db.prepare('SELECT * FROM messages').all();
  const readMs = performance.now() - t2;
  if (rows.length !== ROWS) throw new Error(`read ${rows.length} rows, wrote ${ROWS}`);
  db.close();
  return {
    driver,
    rows: ROWS,
    openMs: Math.round(openMs),
    insertMs: Math.round(insertMs),
    insertsPerSecond: Math.round(ROWS / (insertMs / 1000)),
    readAllMs: Math.round(readMs),
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

if (role === 'child') {
  process.send!(await measure(), () => process.disconnect());
} else {
  const results = [];
  for (const env of ['better-sqlite3', 'sqljs']) {
    const child = fork(fileURLToPath(import.meta.url), ['child'], {
      env: { ...process.env, SMPPKIT_SQLITE_DRIVER: env },
      execArgv: process.execArgv,
    });
    results.push(
      await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${env} child exited ${code}`)));
      }),
    );
  }
  console.log(JSON.stringify({ bench: 'sqlite-drivers', node: process.version, results }, null, 2));
}
