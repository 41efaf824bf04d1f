// SMPPKIT_SQLITE_LOCKING=exclusive (store/sqlite/driver.ts): a spawned simulator opens its file through SQLite's
// unix-excl VFS. The WAL index is in its own memory (no -shm file), another process cannot read the file while it
// runs, and every acknowledged message is in the file after kill -9. Without it (the default) the -shm file is
// there and another process reads the file. The checkpoint worker (a connection of the same process) still
// finishes its checkpoints under it, so the WAL restarts: a spawned store commits one row at a time, as at window 1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPeer, type Peer } from './smpp-peer.js';
import { CLI, cliBuilt, type SpawnedSim, spawnSim } from './spawn-sim.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  path: string,
  o?: { timeout?: number },
) => { prepare(sql: string): { get(): unknown }; close(): void };

let dir: string;
const children: SpawnedSim[] = [];
const peers: Peer[] = [];

beforeAll(() => {
  if (!cliBuilt()) throw new Error(`${CLI} is missing: build first (node_modules/.bin/tsc -b packages/smsc-sim)`);
  dir = mkdtempSync(join(tmpdir(), 'smsc-excl-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ accounts: [{ systemId: 'ex', password: 'pw' }] }));
});

afterAll(() => {
  for (const p of peers) p.close();
  for (const c of children) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** submits `n` one at a time (window 1); the message ids acknowledged */
async function submitLone(tx: Peer, n: number): Promise<string[]> {
  const acked: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await new Promise<{ command_status: number; message_id: string }>((resolve) =>
      tx.session.submit_sm(
        { source_addr: '12345', destination_addr: '447900000001', short_message: `m ${i}` },
        resolve,
      ),
    );
    if (r.command_status === 0) acked.push(r.message_id);
  }
  return acked;
}

/** what another process sees of the file: its row count, or the error it gets */
function readElsewhere(db: string): string {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `const D = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
       try { const d = new D(process.argv[1], { timeout: 0 }); console.log('rows ' + d.prepare('SELECT COUNT(*) AS n FROM messages').get().n); d.close(); }
       catch (e) { console.log('error ' + e.message); }`,
      db,
    ],
    { encoding: 'utf8' },
  );
  return r.stdout.trim();
}

async function run(name: string, env?: Record<string, string>) {
  const db = join(dir, name);
  const sim = await spawnSim(
    ['--config', join(dir, 'config.json'), '--db', db, '--port', '0', '--http-port', '0', '--log-level', 'error'],
    dir,
    env,
  );
  children.push(sim);
  const tx = await boundPeer(sim.port, 'transmitter', 'ex', 'pw');
  peers.push(tx);
  const acked = await submitLone(tx, 50);
  const shm = existsSync(`${db}-shm`);
  const elsewhere = readElsewhere(db);
  sim.child.kill('SIGKILL');
  expect((await sim.exited).signal).toBe('SIGKILL');
  tx.close();
  const after = new Database(db);
  const rows = (after.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  after.close();
  return { acked, shm, elsewhere, rows };
}

describe('SMPPKIT_SQLITE_LOCKING', () => {
  it('exclusive: no -shm file, other processes locked out, every acknowledged message kept across kill -9', async () => {
    const r = await run('excl.db', { SMPPKIT_SQLITE_LOCKING: 'exclusive' });
    expect(r.acked).toHaveLength(50);
    expect(r.shm).toBe(false);
    expect(r.elsewhere).toMatch(/^error database is locked/);
    expect(r.rows).toBe(50);
  });

  it('shared (the default): the -shm file is there and another process reads the file', async () => {
    const r = await run('shared.db');
    expect(r.acked).toHaveLength(50);
    expect(r.shm).toBe(true);
    expect(r.elsewhere).toBe('rows 50');
    expect(r.rows).toBe(50);
  });

  it('exclusive: the checkpoint worker finishes its checkpoints and the WAL restarts under one-row commits', () => {
    const db = join(dir, 'commits.db');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./exclusive-child.ts', import.meta.url)), db],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        env: { ...process.env, SMPPKIT_SQLITE_LOCKING: 'exclusive' },
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      commits: number;
      maxWal: number;
      shm: boolean;
      stats: { finished: number; incomplete: number };
    };
    expect(out.shm).toBe(false);
    expect(out.stats.finished).toBeGreaterThanOrEqual(3);
    expect(out.stats.incomplete).toBe(0);
    // restarted: a -wal of every commit would be ~4 KB a commit
    expect(out.maxWal).toBeLessThan(Math.min(out.commits * 4096, 4 * 2 ** 20));
  });
});
