// The admin message list with a filter that few rows match (one `to=` address) on a real SQLite file larger than
// the look the API takes (store/queries.ts SCAN_ROWS): each answer reads one window of ids through the primary key,
// says which ids it looked at, counts what it found there as a lower bound, and gives a cursor; following the cursors
// finds every match once, the same as reading the whole table (a concatenated message whose parts straddle two
// windows included). The file: window-file.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { MessageStore } from '../src/store/index.js';
import { ENDS_SQL, type GroupPage, queryGroups, SCAN_ROWS, windowSql } from '../src/store/queries.js';
import { buildWindowFile, EDGE, PARTS, ROWS, TO, TO_GROUPS } from './window-file.js';

let dir: string;
let path: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smsc-window-'));
  path = join(dir, 'smsc.db');
  buildWindowFile(path);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** every page of a filtered list, following the cursors: each answer, and the groups in order */
function follow(s: MessageStore, f: object, rows: number): { answers: GroupPage[]; groups: number[] } {
  const answers: GroupPage[] = [];
  let cursor: number | undefined;
  do {
    const a = queryGroups(s.db, f, Date.now(), s.count(), undefined, { rows, ...(cursor && { cursor }) });
    answers.push(a);
    cursor = a.cursor;
  } while (cursor !== undefined && answers.length < 100);
  return { answers, groups: answers.flatMap((a) => a.groupIds) };
}

describe('a filtered list on a file larger than its look', () => {
  it('reads one window of ids a request through the primary key (the plan), not the table', () => {
    const s = new MessageStore({ path });
    const plan = (sql: string) =>
      (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split('?').slice(1).fill('0')) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join('; ');
    // where the windows begin and end: the oldest and newest ids, not a scan (MIN and MAX in one SELECT are one)
    expect(plan(ENDS_SQL)).not.toMatch(/SCAN messages/);
    expect(plan('SELECT MIN(id), MAX(id) FROM messages')).toMatch(/SCAN messages/);
    for (const continued of [false, true]) {
      const p = plan(windowSql('dest_addr = ?', true, continued));
      expect(p).toMatch(/^SEARCH messages USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(p).not.toMatch(/SCAN messages/);
      // a continuation looks for an earlier part of a concatenated message through the parts' partial index
      if (continued) expect(p).toMatch(/SEARCH seen USING (COVERING )?INDEX messages_group \(group_id=\?/);
    }
    s.close();
  });

  it('answers window by window with the ids it looked at, a lower bound and a cursor; all of them, once', () => {
    const s = new MessageStore({ path });
    const newest = queryGroups(s.db, { to: TO }, Date.now(), s.count(), undefined, { rows: SCAN_ROWS });
    // the newest window: one single and the message on its edge (seen at its part EDGE + 1)
    expect(newest).toEqual({
      total: 3,
      totalIsLowerBound: true,
      groupIds: [ROWS - 10, ROWS - 150_000, PARTS[0]],
      scanned: { fromId: ROWS, toId: EDGE + 1 },
      cursor: EDGE + 1,
    });
    const all = queryGroups(s.db, { to: TO }, Date.now(), s.count()); // no window: the whole table
    expect(all.groupIds).toEqual(TO_GROUPS);
    const desc = follow(s, { to: TO }, SCAN_ROWS);
    expect(desc.groups).toEqual(all.groupIds); // the edge message's part EDGE is not shown again
    expect(desc.answers.map((a) => a.scanned)).toEqual([
      { fromId: ROWS, toId: EDGE + 1 },
      { fromId: EDGE, toId: EDGE - SCAN_ROWS + 1 },
      { fromId: EDGE - SCAN_ROWS, toId: 1 },
    ]);
    expect(desc.answers.map((a) => a.cursor)).toEqual([EDGE + 1, EDGE - SCAN_ROWS + 1, undefined]);
    expect(desc.answers.map((a) => a.total)).toEqual([3, 1, 1]);
    // oldest first: the edge message is seen first at its part EDGE
    const asc = follow(s, { to: TO, order: 'asc' }, SCAN_ROWS);
    expect(asc.groups).toEqual([...all.groupIds].reverse());
    expect(asc.answers[0]!.scanned).toEqual({ fromId: 1, toId: SCAN_ROWS });
    // a page full before the window ends: the cursor is where the page ended, the next page goes on from there
    const small = follow(s, { to: TO, limit: 2 }, SCAN_ROWS);
    expect(small.groups).toEqual(all.groupIds);
    expect(small.answers[0]).toMatchObject({ groupIds: [ROWS - 10, ROWS - 150_000], cursor: ROWS - 150_000 });
    expect(small.answers[0]!.total).toBe(3); // what the window holds, counted past the page
    s.close();
  });

  it('a filter many rows match: the page from the first rows, the total capped, the same cursors', () => {
    const s = new MessageStore({ path });
    // '447001': n % 5000 = 1, every 5,000th row; a cap of 10 counts the first 11, the page of 11 is full there
    const many = queryGroups(s.db, { to: '447001', limit: 11 }, Date.now(), s.count(), 10, { rows: SCAN_ROWS });
    expect(many.total).toBe(11);
    expect(many.totalIsLowerBound).toBe(true);
    expect(many.groupIds).toHaveLength(11);
    expect(many.scanned!.toId).toBe(many.cursor);
    expect(many.groupIds.at(-1)).toBe(many.cursor);
    const pages = follow(s, { to: '447001', limit: 11 }, SCAN_ROWS);
    expect(pages.groups).toEqual(queryGroups(s.db, { to: '447001', limit: 1000 }, Date.now(), s.count()).groupIds);
    const matching = s.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE dest_addr = '447001'").get() as {
      n: number;
    };
    expect(matching.n).toBeGreaterThan(80);
    expect(new Set(pages.groups).size).toBe(matching.n);
    s.close();
  });
});

describe('GET /api/messages with a filter few rows match, on that file', () => {
  let smsc: SmscHandle;
  beforeAll(async () => {
    smsc = await startSmsc({ port: 0, httpPort: 0, store: { path }, logLevel: 'silent' });
  }, 60_000);
  afterAll(async () => smsc?.close());
  const get = async (q: string) => {
    const res = await fetch(`http://127.0.0.1:${smsc.httpPort}/api/messages?${q}`);
    return { status: res.status, json: (await res.json()) as any };
  };

  it('says what it looked at and where to go on; the cursors lead to every match once', async () => {
    const first = await get(`to=${TO}`);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      total: 3,
      totalIsLowerBound: true,
      scanned: { fromId: ROWS, toId: EDGE + 1 },
      cursor: String(EDGE + 1),
    });
    const ids: string[] = first.json.messages.map((m: { id: string }) => m.id);
    let cursor: string | undefined = first.json.cursor;
    while (cursor) {
      const next = await get(`to=${TO}&cursor=${cursor}`);
      ids.push(...next.json.messages.map((m: { id: string }) => m.id));
      cursor = next.json.cursor;
    }
    expect(ids).toEqual(TO_GROUPS.map((n) => n.toString(16)));
    // a text search within the same look
    expect((await get(`to=${TO}&text=hello`)).json).toMatchObject({ total: 3, cursor: String(EDGE + 1) });
    // unfiltered: the exact total, the newest page, nothing left out to say
    const plain = await get('limit=1');
    expect(plain.json.total).toBe(ROWS - 1); // the edge message's 2 parts are one
    expect(plain.json.scanned).toBeUndefined();
    expect(plain.json.totalIsLowerBound).toBeUndefined();
  });

  it('refuses a cursor that is not a row id, naming it', async () => {
    const bad = await get(`to=${TO}&cursor=abc`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('cursor');
  });
});
