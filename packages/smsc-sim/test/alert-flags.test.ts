// The delivery pending flags' table (store/dpf-flags.ts) on a real SQLite file: bounded (the oldest dropped and
// counted), kept across a reopen, owed flags found by account.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DpfFlags } from '../src/store/dpf-flags.js';

const dir = mkdtempSync(join(tmpdir(), 'smsc-dpf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flag = (i: number) => ({
  messageId: i,
  systemId: 'acme',
  esmeTon: 1,
  esmeNpi: 1,
  esmeAddr: '12345',
  msTon: 1,
  msNpi: 1,
  msAddr: `447900000${i}`,
  setAt: 1000 + i,
});

describe('delivery pending flags', () => {
  it('are bounded: past the limit the oldest is dropped, counted; what is kept survives a reopen', () => {
    const path = join(dir, 'flags.db');
    const db = new Database(path);
    const flags = new DpfFlags(db, 3);
    expect([1, 2, 3].map((i) => flags.add(flag(i)))).toEqual([false, false, false]);
    expect(flags.add(flag(4))).toBe(true);
    expect(flags.add(flag(5))).toBe(true);
    expect(flags.size).toBe(3);
    expect(flags.dropped).toBe(2);
    expect(flags.ofAddress('4479000001')).toEqual([]);
    const [f3] = flags.ofAddress('4479000003');
    flags.owe(f3.id, 5000);
    db.close();

    const again = new DpfFlags(new Database(path), 3);
    expect(again.size).toBe(3);
    expect(again.owed('acme')).toEqual([{ ...flag(3), id: f3.id, owedAt: 5000 }]);
    expect(again.owed('other')).toEqual([]);
    again.remove(f3.id);
    again.remove(f3.id);
    expect(again.size).toBe(2);
  });
});
