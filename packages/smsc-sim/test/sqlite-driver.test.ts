// The SQLite driver: one scenario on better-sqlite3 and on sql.js gives the same results; a file opens with
// better-sqlite3 (WAL); without better-sqlite3 a file store is an error that says how to get it, and a memory store
// still works (sql.js) — in process through the test loader, and in a spawned process where it is not installed.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  nativeDriverPath,
  openDatabase,
  prepareSqlDriver,
  type SqlDatabase,
  type SqlDriverName,
  setNativeLoaderForTests,
  sqlDriverFor,
} from '../src/store/sqlite/driver.js';

const ENV = 'SMPPKIT_SQLITE_DRIVER';
const saved = process.env[ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[ENV];
  else process.env[ENV] = saved;
  setNativeLoaderForTests(null);
});

async function openMemory(driver: SqlDriverName): Promise<SqlDatabase> {
  process.env[ENV] = driver === 'sql.js' ? 'sqljs' : 'better-sqlite3';
  expect(await prepareSqlDriver(':memory:')).toBe(driver);
  return openDatabase(':memory:');
}

function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    const err = e as Error & { code?: string };
    const kind = e instanceof TypeError ? 'TypeError' : e instanceof RangeError ? 'RangeError' : 'Error';
    return { error: kind, message: err.message, ...(err.code ? { code: err.code } : {}) };
  }
}

/** Everything the store relies on, each step's result recorded. */
function scenario(db: SqlDatabase): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  db.exec(`CREATE TABLE m (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, t TEXT, b BLOB NOT NULL, r REAL);
           CREATE TABLE log (at INTEGER NOT NULL);`);
  const ins = db.prepare('INSERT INTO m (n, t, b, r) VALUES (?, ?, ?, ?)');
  out.insertPositional = [
    ins.run(1700000000123, 'héllo ✓', Buffer.from([0, 1, 255]), 1.5),
    ins.run(5, null, Buffer.alloc(0), null),
    ins.run(10n, 'bigint', Buffer.from('x'), undefined),
    ins.run([11, 'array spread', Buffer.from([7]), 0.25]),
  ];
  out.insertNamed = db
    .prepare('INSERT INTO m (n, t, b) VALUES (@n, :t, $b)')
    .run({ n: 7, t: 'named', b: Buffer.from([9, 9]), extra: 1 });
  out.update = db.prepare('UPDATE m SET t = ? WHERE n > ? AND n < ?').run('updated', 6, 12);
  out.runOnSelect = db.prepare('SELECT 1').run(); // right after a statement that changed rows: changes 0
  out.updateNone = db.prepare('UPDATE m SET t = ? WHERE id = ?').run('none', 999);
  out.repeatedNamed = db.prepare('SELECT @a + @a AS twice, ? AS p').get(3, { a: 20 });
  out.getOne = db.prepare('SELECT * FROM m WHERE id = ?').get(1);
  out.getEmptyBlob = db.prepare('SELECT b, typeof(b) AS kind, length(b) AS len FROM m WHERE id = ?').get(2);
  out.getMissing = db.prepare('SELECT * FROM m WHERE id = ?').get(999);
  out.all = db.prepare('SELECT id, n, t, b, r FROM m ORDER BY id').all();
  const ids = db.prepare('SELECT id FROM m WHERE n >= ? ORDER BY id DESC');
  out.iterateAll = [...ids.iterate(0)];
  const firstTwo: unknown[] = [];
  for (const r of ids.iterate(0)) {
    firstTwo.push(r);
    if (firstTwo.length === 2) break;
  }
  out.iterateBreak = firstTwo;
  out.afterBreak = ids.all(8); // the statement is usable again after a break
  out.aggregate = db.prepare('SELECT COUNT(*) AS n, SUM(n) AS s, MAX(r) AS r FROM m').get();

  const count = db.prepare('SELECT COUNT(*) AS n FROM log');
  const log = db.prepare('INSERT INTO log (at) VALUES (?)');
  out.inTransactionOutside = db.inTransaction;
  const commit = db.transaction((a: number, b: number) => {
    log.run(a);
    log.run(b);
    return { inside: db.inTransaction, sum: a + b };
  });
  out.commit = commit(1, 2);
  out.afterCommit = count.get();
  const failing = db.transaction((a: number) => {
    log.run(a);
    throw new Error(`refused ${a}`);
  });
  out.rollback = outcome(() => failing(3));
  out.afterRollback = count.get();
  out.inTransactionAfterRollback = db.inTransaction;
  const inner = db.transaction((a: number) => {
    log.run(a);
    if (a > 100) throw new Error('inner refused');
  });
  const outer = db.transaction(() => {
    inner(4);
    const caught = outcome(() => inner(101));
    log.run(5);
    return caught;
  });
  out.nested = outer();
  out.afterNested = db.prepare('SELECT at FROM log ORDER BY rowid').all();
  // a transaction() inside one begun by hand: undone with it
  db.exec('BEGIN');
  commit(7, 8);
  db.exec('ROLLBACK');
  out.afterManualRollback = count.get();
  out.lastRowidAfterUpdate = db.prepare('UPDATE m SET r = r WHERE id = 1').run();
  const asyncTx = db.transaction(() => {
    log.run(6);
    return Promise.resolve(1);
  });
  out.asyncTransaction = outcome(() => asyncTx());
  out.afterAsync = count.get();
  // a trigger aborting a statement inside a transaction (as the store's commit-failure test does)
  db.exec(
    "CREATE TRIGGER no_nine BEFORE INSERT ON log WHEN NEW.at = 9 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
  );
  const batch = db.transaction((xs: number[]) => {
    for (const x of xs) log.run(x);
  });
  out.triggerAbort = outcome(() => batch([7, 8, 9]));
  out.afterTrigger = count.get();

  out.pragmaSet = db.pragma('user_version = 3');
  out.pragmaSimple = db.pragma('user_version', { simple: true });
  out.pragmaRows = db.pragma('user_version');
  out.pragmaTable = (db.pragma('table_info(m)') as Array<{ name: string; type: string }>).map(
    (c) => `${c.name} ${c.type}`,
  );
  out.journal = db.pragma('journal_mode', { simple: true });

  out.tooFew = outcome(() => ins.run(1));
  out.tooMany = outcome(() => ins.run(1, 'a', Buffer.alloc(1), 1, 2));
  out.missingNamed = outcome(() => db.prepare('SELECT @a AS a').get({ b: 1 }));
  out.badType = outcome(() => ins.run(true, 'a', Buffer.alloc(1), 1));
  out.notNull = outcome(() => ins.run(1, 'a', null, 1));
  out.unique = outcome(() => db.prepare("INSERT INTO m (id, n, b) VALUES (1, 1, x'00')").run());
  out.getOnWrite = outcome(() => db.prepare('DELETE FROM log WHERE at = ?').get(1));
  out.twoStatements = outcome(() => db.prepare('SELECT 1; SELECT 2'));
  out.noStatement = outcome(() => db.prepare(' -- nothing\n'));
  out.trailingSemicolon = db.prepare("SELECT ';?' AS s, ? AS p; -- done").get('q');
  out.syntax = outcome(() => db.prepare('SELEC 1'));
  out.deleteAll = db.prepare('DELETE FROM log').run();
  db.close();
  out.afterClose = outcome(() => db.prepare('SELECT 1'));
  return out;
}

describe('SQLite drivers for a memory store', () => {
  it('better-sqlite3 and sql.js give the same results for the same scenario', async () => {
    const native = scenario(await openMemory('better-sqlite3'));
    const wasm = scenario(await openMemory('sql.js'));
    // what the scenario gives, stated (so that two drivers equally wrong would not pass)
    expect(native.insertPositional).toEqual([
      { changes: 1, lastInsertRowid: 1 },
      { changes: 1, lastInsertRowid: 2 },
      { changes: 1, lastInsertRowid: 3 },
      { changes: 1, lastInsertRowid: 4 },
    ]);
    expect(native.insertNamed).toEqual({ changes: 1, lastInsertRowid: 5 });
    expect(native.update).toEqual({ changes: 3, lastInsertRowid: 5 });
    expect(native.updateNone).toEqual({ changes: 0, lastInsertRowid: 5 });
    expect(native.runOnSelect).toEqual({ changes: 0, lastInsertRowid: 5 });
    expect(native.repeatedNamed).toEqual({ twice: 40, p: 3 });
    expect(native.getOne).toEqual({ id: 1, n: 1700000000123, t: 'héllo ✓', b: Buffer.from([0, 1, 255]), r: 1.5 });
    expect(Buffer.isBuffer((native.getOne as { b: unknown }).b)).toBe(true);
    expect(native.getEmptyBlob).toEqual({ b: Buffer.alloc(0), kind: 'blob', len: 0 });
    expect(native.getMissing).toBeUndefined();
    expect((native.all as unknown[]).length).toBe(5);
    expect(native.iterateAll).toEqual([{ id: 5 }, { id: 4 }, { id: 3 }, { id: 2 }, { id: 1 }]);
    expect(native.iterateBreak).toEqual([{ id: 5 }, { id: 4 }]);
    expect(native.afterBreak).toEqual([{ id: 4 }, { id: 3 }, { id: 1 }]);
    expect(native.commit).toEqual({ inside: true, sum: 3 });
    expect(native.inTransactionOutside).toBe(false);
    expect(native.afterCommit).toEqual({ n: 2 });
    expect(native.rollback).toEqual({ error: 'Error', message: 'refused 3' });
    expect(native.afterRollback).toEqual({ n: 2 });
    expect(native.nested).toEqual({ error: 'Error', message: 'inner refused' });
    expect(native.afterNested).toEqual([{ at: 1 }, { at: 2 }, { at: 4 }, { at: 5 }]);
    expect(native.afterManualRollback).toEqual({ n: 4 });
    expect(native.asyncTransaction).toEqual({
      error: 'TypeError',
      message: 'Transaction function cannot return a promise',
    });
    expect(native.afterAsync).toEqual({ n: 4 });
    expect(native.triggerAbort).toEqual({
      error: 'Error',
      message: 'disk I/O error',
      code: 'SQLITE_CONSTRAINT_TRIGGER',
    });
    expect(native.afterTrigger).toEqual({ n: 4 });
    expect(native.pragmaSimple).toBe(3);
    expect(native.pragmaRows).toEqual([{ user_version: 3 }]);
    expect(native.journal).toBe('memory');
    expect(native.tooFew).toEqual({ error: 'RangeError', message: 'Too few parameter values were provided' });
    expect(native.notNull).toEqual({
      error: 'Error',
      message: 'NOT NULL constraint failed: m.b',
      code: 'SQLITE_CONSTRAINT_NOTNULL',
    });
    expect(native.deleteAll).toMatchObject({ changes: 4 });
    expect(native.afterClose).toMatchObject({ error: 'TypeError' });
    // and sql.js the same, step by step (named so that a difference says where)
    for (const k of Object.keys(native)) expect({ [k]: wasm[k] }).toEqual({ [k]: native[k] });
    expect(Object.keys(wasm)).toEqual(Object.keys(native));
  });

  it('SMPPKIT_SQLITE_DRIVER chooses for memory stores only, and a bad value is an error naming it', () => {
    process.env[ENV] = 'sqljs';
    expect(sqlDriverFor(':memory:')).toBe('sql.js');
    expect(sqlDriverFor(join(tmpdir(), 'x.db'))).toBe('better-sqlite3');
    delete process.env[ENV];
    expect(sqlDriverFor(':memory:')).toBe('better-sqlite3');
    process.env[ENV] = 'oracle';
    expect(() => sqlDriverFor(':memory:')).toThrow(
      'SMPPKIT_SQLITE_DRIVER="oracle": expected sqljs or better-sqlite3 (or unset)',
    );
  });
});

describe('SQLite driver for a file store', () => {
  it('opens with better-sqlite3 in WAL mode, also when memory stores are forced to sql.js', async () => {
    process.env[ENV] = 'sqljs';
    const dir = mkdtempSync(join(tmpdir(), 'smppkit-driver-'));
    try {
      const path = join(dir, 'store.db');
      expect(await prepareSqlDriver(path)).toBe('better-sqlite3');
      const db = openDatabase(path);
      expect(db.pragma('journal_mode = WAL', { simple: true })).toBe('wal');
      db.exec('CREATE TABLE t (v BLOB)');
      db.prepare('INSERT INTO t VALUES (?)').run(Buffer.from('kept'));
      db.close();
      expect(existsSync(path)).toBe(true);
      const again = openDatabase(path);
      expect(again.prepare('SELECT v FROM t').get()).toEqual({ v: Buffer.from('kept') });
      again.close();
      expect(existsSync(nativeDriverPath())).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const notInstalled = () => {
    throw Object.assign(new Error("Cannot find module 'better-sqlite3'\nRequire stack:\n- driver.js"), {
      code: 'MODULE_NOT_FOUND',
    });
  };
  const noBinding = () =>
    function Database() {
      throw new Error(
        'Could not locate the bindings file. Tried:\n → /x/node_modules/better-sqlite3/build/better_sqlite3.node',
      );
    };

  for (const [what, loader, reason] of [
    ['not installed', notInstalled, "Cannot find module 'better-sqlite3'"],
    ['without its native binding', noBinding, 'Could not locate the bindings file. Tried:'],
  ] as const) {
    it(`better-sqlite3 ${what}: a file store is an error naming the package and how to install it; memory uses sql.js`, async () => {
      delete process.env[ENV];
      setNativeLoaderForTests(loader);
      const path = join(tmpdir(), 'never-created.db');
      const expected = `a file store needs the optional dependency better-sqlite3, which could not be loaded (${reason}): install it with \`npm install better-sqlite3\` (it builds from source where no prebuilt binary fits: python3, make and a C++ compiler), or use store: 'memory'`;
      expect(() => openDatabase(path)).toThrow(expected);
      await expect(prepareSqlDriver(path)).rejects.toThrow(expected);
      expect(() => nativeDriverPath()).toThrow(expected);
      const e = (() => {
        try {
          openDatabase(path);
        } catch (x) {
          return x as Error & { code: string };
        }
      })()!;
      expect(e.code).toBe('SMPPKIT_SQLITE_NATIVE_MISSING');
      expect((e.cause as Error).message).toContain(reason);
      expect(existsSync(path)).toBe(false);
      // memory: the fallback
      expect(await prepareSqlDriver(':memory:')).toBe('sql.js');
      const db = openDatabase(':memory:');
      expect(db.prepare('SELECT ? AS v').get(Buffer.from([1]))).toEqual({ v: Buffer.from([1]) });
      db.close();
      process.env[ENV] = 'better-sqlite3';
      expect(() => openDatabase(':memory:')).toThrow(
        'SMPPKIT_SQLITE_DRIVER=better-sqlite3 needs the optional dependency better-sqlite3',
      );
    });
  }
});

const DIST = fileURLToPath(new URL('../dist/store/sqlite/', import.meta.url));
const driverBuilt = () => {
  if (!existsSync(join(DIST, 'driver.js')))
    throw new Error(`${DIST}driver.js is missing: build first (node_modules/.bin/tsc -b packages/smsc-sim)`);
};
const PROBE = `
const d = await import(process.argv[2]);
const out = {};
try { d.openDatabase(':memory:'); out.unprepared = 'opened'; } catch (e) { out.unprepared = e.message; }
out.prepared = await d.prepareSqlDriver(':memory:');
const db = d.openDatabase(':memory:');
out.connection = db.constructor.name;
out.row = db.prepare('SELECT sqlite_version() IS NOT NULL AS ok').get();
try { d.openDatabase(process.argv[3]); out.file = 'opened'; } catch (e) { out.file = e.message; out.code = e.code; }
console.log(JSON.stringify(out));
`;

function probe(driverJs: string, env: Record<string, string | undefined>, dir: string): Record<string, unknown> {
  const script = join(dir, 'probe.mjs');
  writeFileSync(script, PROBE);
  const r = spawnSync(process.execPath, [script, driverJs, join(dir, 'file.db')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    cwd: dir,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('SQLite driver in a spawned process', () => {
  it('SMPPKIT_SQLITE_DRIVER=sqljs is honoured (and sql.js must be prepared before a memory store opens)', () => {
    driverBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'smppkit-driver-'));
    try {
      const forced = probe(join(DIST, 'driver.js'), { [ENV]: 'sqljs' }, dir);
      expect(forced.unprepared).toBe(
        "the memory store's SQLite driver is sql.js (SMPPKIT_SQLITE_DRIVER=sqljs), which is not initialised: await prepareSqlDriver(':memory:') before opening the store",
      );
      expect(forced).toMatchObject({
        prepared: 'sql.js',
        connection: 'SqlJsConnection',
        row: { ok: 1 },
        file: 'opened',
      });
      const plain = probe(join(DIST, 'driver.js'), { [ENV]: undefined }, dir);
      expect(plain).toMatchObject({
        unprepared: 'opened',
        prepared: 'better-sqlite3',
        connection: 'Database',
        file: 'opened',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('where better-sqlite3 is not installed: memory works on sql.js, a file store says how to install it', () => {
    driverBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'smppkit-driver-'));
    try {
      // the driver's built files and sql.js only, in a folder that no better-sqlite3 can be found from
      mkdirSync(join(dir, 'sqlite'));
      for (const f of readdirSync(DIST)) if (f.endsWith('.js')) copyFileSync(join(DIST, f), join(dir, 'sqlite', f));
      mkdirSync(join(dir, 'node_modules'));
      const sqljsDir = dirname(dirname(createRequire(join(DIST, 'driver.js')).resolve('sql.js'))); // …/sql.js/dist/sql-wasm.js
      symlinkSync(sqljsDir, join(dir, 'node_modules', 'sql.js'), 'dir');
      // NODE_PATH too: pnpm's bin shim (npx vitest) sets it to the store's hoisted node_modules, which has it
      const r = probe(join(dir, 'sqlite', 'driver.js'), { [ENV]: undefined, NODE_PATH: undefined }, dir);
      expect(r.unprepared).toMatch(
        /^the memory store's SQLite driver is sql\.js \(better-sqlite3 could not be loaded: Cannot find module 'better-sqlite3'/,
      );
      expect(r).toMatchObject({
        prepared: 'sql.js',
        connection: 'SqlJsConnection',
        row: { ok: 1 },
        code: 'SMPPKIT_SQLITE_NATIVE_MISSING',
      });
      expect(r.file).toMatch(
        /^a file store needs the optional dependency better-sqlite3, which could not be loaded \(Cannot find module 'better-sqlite3'.*\): install it with `npm install better-sqlite3`/,
      );
      expect(existsSync(join(dir, 'file.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
