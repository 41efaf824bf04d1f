// The SQLite driver behind the message store: better-sqlite3 (native) when it can be loaded, sql.js (SQLite in
// WebAssembly, pure JS) for a memory store where it cannot — so `startSmsc({ store: 'memory' })` works where the
// native build is not possible. The store sees only SqlDatabase / SqlStatement below: no driver's types are public.
//
// Contract:
// - `await prepareSqlDriver(path)` once before `openDatabase(path)` (startSmsc/startWithConfig do, before building
//   the store). For a file it loads better-sqlite3 and fails early with the error below; for ':memory:' it
//   initialises sql.js when that is the driver to use (its WebAssembly compiles asynchronously; once, then cached).
// - `openDatabase(path)` is synchronous. A file path (anything but ':memory:') needs better-sqlite3 (WAL, a
//   checkpointer worker): when it cannot be loaded — not installed, or installed without its native binding
//   ("Could not locate the bindings file") — the Error names the package and how to get it (code
//   SMPPKIT_SQLITE_NATIVE_MISSING, the loader's error as its cause). ':memory:' uses better-sqlite3 when it loads,
//   else sql.js; sql.js not yet initialised is an Error saying to await prepareSqlDriver first.
// - better-sqlite3 is loaded at the first call that needs it (createRequire at call time, never a static import),
//   probed once with a ':memory:' database (its binding loads at the first `new Database`, not at require), and the
//   outcome is cached for the process.
// - SMPPKIT_SQLITE_DRIVER: `sqljs` forces sql.js for memory stores (to test the fallback where better-sqlite3
//   works), `better-sqlite3` forbids the fallback; unset or empty chooses as above; any other value is an Error.
//   It never changes a file store. Read at each call, not at import.
// - SMPPKIT_SQLITE_LOCKING: `exclusive` opens file stores through SQLite's unix-excl VFS (fileOpenName): the
//   process takes one lock on the file and keeps the WAL index in its own memory, so a commit makes no fcntl
//   (six without it: the read mark, the read and the write lock, each taken and released) while the checkpoint
//   worker, a connection of the same process, works as before; other processes cannot open the file meanwhile.
//   Naming a VFS needs URI filenames, which better-sqlite3 takes only when SQLITE_USE_URI=1 is in the environment
//   as its native part loads (once a process): loaded here first with the mode asked for, it is set for that
//   load (URI filenames are then on for every better-sqlite3 database of the process: a name beginning `file:` is
//   a URI). Loaded before without it, a file store with the mode asked for is an Error saying so. Unset or
//   `shared`: the default locks; anything else is an Error. Read at each open.
// What sql.js keeps of better-sqlite3's semantics, and the one difference: see sqljs.ts.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { SqlJsConnection } from './sqljs.js';

export type { SqlDatabase, SqlRunResult, SqlStatement } from './types.js';

import type { SqlDatabase } from './types.js';

export type SqlDriverName = 'better-sqlite3' | 'sql.js';

const ENV = 'SMPPKIT_SQLITE_DRIVER';
const LOCKING_ENV = 'SMPPKIT_SQLITE_LOCKING';
const MEMORY = ':memory:';

type NativeDatabase = new (path: string) => SqlDatabase;
// better-sqlite3's Database must fit SqlDatabase as it is (compile-time check, not exported: no public trace)
type NativeFits = import('better-sqlite3').Database extends SqlDatabase ? true : never;
const nativeFits: NativeFits = true;
void nativeFits;

const defaultNativeLoader = (): unknown => createRequire(import.meta.url)('better-sqlite3');
let nativeLoader: () => unknown = defaultNativeLoader;
let native: { ctor: NativeDatabase; uri: boolean } | { error: Error } | null = null;
let sqljs: SqlJsStatic | null = null;
let sqljsLoading: Promise<SqlJsStatic> | null = null;

/** better-sqlite3, loaded and probed once (see the top of this file). */
function loadNative(): { ctor: NativeDatabase; uri: boolean } | { error: Error } {
  if (native) return native;
  // URI filenames for the exclusive mode: better-sqlite3 reads SQLITE_USE_URI as its native part loads (the first
  // `new Database` of the process), not later
  const setUri = fileLocking() === 'exclusive' && process.env.SQLITE_USE_URI === undefined;
  if (setUri) process.env.SQLITE_USE_URI = '1';
  try {
    const m = nativeLoader() as NativeDatabase | { default: NativeDatabase };
    const ctor = typeof m === 'function' ? m : m.default;
    if (typeof ctor !== 'function') throw new Error('better-sqlite3 did not export a Database constructor');
    new ctor(MEMORY).close();
    native = { ctor, uri: takesUri(ctor) };
  } catch (e) {
    native = { error: e instanceof Error ? e : new Error(String(e)) };
  } finally {
    if (setUri) delete process.env.SQLITE_USE_URI;
  }
  return native;
}

/**
 * Does this better-sqlite3 take URI filenames? A URI of an in-memory database opens when it does; read as a plain
 * path it names a file in a directory `file:` that does not exist, and fails: no file is made either way.
 */
function takesUri(ctor: NativeDatabase): boolean {
  try {
    new ctor('file:/smppkit-uri-probe/none?mode=memory').close();
    return true;
  } catch {
    return false;
  }
}

/** SMPPKIT_SQLITE_LOCKING as the file stores opened now take it (see the top of this file). */
export function fileLocking(): 'shared' | 'exclusive' {
  const v = process.env[LOCKING_ENV];
  if (v === undefined || v === '' || v === 'shared') return 'shared';
  if (v === 'exclusive') return 'exclusive';
  throw new Error(`${LOCKING_ENV}=${JSON.stringify(v)}: expected exclusive or shared (or unset)`);
}

/**
 * The name a file store is opened by, by the main connection and by the checkpoint worker alike: its path, or with
 * SMPPKIT_SQLITE_LOCKING=exclusive a URI of it naming the unix-excl VFS (an Error where that cannot be had).
 */
export function fileOpenName(path: string): string {
  if (fileLocking() === 'shared') return path;
  const n = loadNative();
  if ('error' in n) throw nativeMissing('a file store', n.error);
  if (process.platform === 'win32')
    throw new Error(`${LOCKING_ENV}=exclusive: SQLite's unix-excl VFS is not on Windows`);
  if (!n.uri)
    throw new Error(
      `${LOCKING_ENV}=exclusive names SQLite's unix-excl VFS in a URI filename, which this process's better-sqlite3 does not take: it was loaded before the simulator without SQLITE_USE_URI=1 (set that in the environment, or unset ${LOCKING_ENV})`,
    );
  // in a URI's path % ? # are escaped; the rest is as it is
  const p = resolve(path).replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `file:${p}?vfs=unix-excl`;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function nativeMissing(what: string, cause: Error): Error {
  const e = new Error(
    `${what} needs the optional dependency better-sqlite3, which could not be loaded (${firstLine(cause.message)}): ` +
      'install it with `npm install better-sqlite3` (it builds from source where no prebuilt binary fits: ' +
      "python3, make and a C++ compiler), or use store: 'memory'",
    { cause },
  );
  (e as Error & { code: string }).code = 'SMPPKIT_SQLITE_NATIVE_MISSING';
  return e;
}

function forcedDriver(): SqlDriverName | null {
  const v = process.env[ENV];
  if (v === undefined || v === '') return null;
  if (v === 'sqljs' || v === 'sql.js') return 'sql.js';
  if (v === 'better-sqlite3') return 'better-sqlite3';
  throw new Error(`${ENV}=${JSON.stringify(v)}: expected sqljs or better-sqlite3 (or unset)`);
}

/** The driver openDatabase(path) uses now (a file store without better-sqlite3 throws the error described above). */
export function sqlDriverFor(path: string): SqlDriverName {
  const forced = forcedDriver();
  const n = loadNative();
  if (path !== MEMORY) {
    if ('error' in n) throw nativeMissing('a file store', n.error);
    return 'better-sqlite3';
  }
  if (forced === 'sql.js') return 'sql.js';
  if ('error' in n) {
    if (forced === 'better-sqlite3') throw nativeMissing(`${ENV}=better-sqlite3`, n.error);
    return 'sql.js';
  }
  return 'better-sqlite3';
}

/** Makes openDatabase(path) possible: loads better-sqlite3 or initialises sql.js, whichever path needs. */
export async function prepareSqlDriver(path: string = MEMORY): Promise<SqlDriverName> {
  const driver = sqlDriverFor(path);
  if (driver === 'sql.js' && !sqljs) {
    sqljsLoading ??= (async () => {
      const init = createRequire(import.meta.url)('sql.js') as (config?: object) => Promise<SqlJsStatic>;
      return init();
    })();
    try {
      sqljs = await sqljsLoading;
    } catch (e) {
      sqljsLoading = null;
      throw new Error(
        `the memory store's fallback SQLite driver sql.js could not be initialised: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
  return driver;
}

/** Opens a SQLite database: a file (better-sqlite3) or ':memory:' (better-sqlite3, else sql.js). See the top. */
export function openDatabase(path: string): SqlDatabase {
  const driver = sqlDriverFor(path);
  if (driver === 'better-sqlite3') {
    const name = path === MEMORY ? path : fileOpenName(path);
    return new (loadNative() as { ctor: NativeDatabase }).ctor(name);
  }
  if (!sqljs) {
    const n = loadNative();
    const why = 'error' in n ? `better-sqlite3 could not be loaded: ${firstLine(n.error.message)}` : `${ENV}=sqljs`;
    throw new Error(
      `the memory store's SQLite driver is sql.js (${why}), which is not initialised: await prepareSqlDriver(':memory:') before opening the store`,
    );
  }
  return new SqlJsConnection(sqljs);
}

/** The resolved path of better-sqlite3, for a worker thread that opens the same file (the WAL checkpointer). */
export function nativeDriverPath(): string {
  const n = loadNative();
  if ('error' in n) throw nativeMissing('a file store', n.error);
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

/**
 * INTERNAL, for tests only: replaces how better-sqlite3 is loaded (a function that returns its export or throws, as a
 * failed require would), or restores the real loader with null. Forgets the cached outcome either way.
 */
export function setNativeLoaderForTests(loader: (() => unknown) | null): void {
  nativeLoader = loader ?? defaultNativeLoader;
  native = null;
}
