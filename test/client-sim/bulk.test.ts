// esme bulk as a user runs it (spawned) against the simulator: interrupted and resumed, each row is sent exactly
// once (counted at the simulator); outcomes stream to --out as rows complete; the file is checked before anything
// is sent; receipts are summed by stat.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, esme } from './helpers.js';

let smsc: SmscHandle | undefined;
let dir: string;
beforeAll(() => ensureBuilt(), 120_000);
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function sim(extra: Record<string, unknown> = {}): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'esme-bulk-sim-'));
  smsc = await startSmsc({
    store: 'memory',
    accounts: [{ systemId: 'acme', password: 'pw' }],
    defaultDelayMs: 20,
    ...extra,
  });
  return `smpp://acme:pw@127.0.0.1:${smsc.port}`;
}

const stored = () => smsc!.messages({ systemId: 'acme', limit: 100_000 });

describe('esme bulk against the simulator', () => {
  it('SIGINT mid-campaign, then the same command again: every row sent exactly once; outcomes streamed to --out as rows complete', async () => {
    const url = await sim();
    const csv = join(dir, 'contacts.csv');
    const n = 120;
    const rows = Array.from({ length: n }, (_, i) => `${4790000100 + i},Name ${i}`);
    writeFileSync(csv, 'to,name\n' + rows.join('\n') + '\n');
    const out = join(dir, 'results.csv');
    const args = [
      'bulk',
      '--url',
      url,
      '--csv',
      csv,
      '--template',
      'Hi {{name}}',
      '--rate',
      '40',
      '--out',
      out,
      '--json',
    ];
    const first = esme(args);
    await first.waitFor(/"status":"sent"[\s\S]*"status":"sent"[\s\S]*"status":"sent"[\s\S]*"status":"sent"/);
    // streamed: the out file has rows while the campaign is still running
    const whileRunning = readFileSync(out, 'utf8').trim().split('\n');
    expect(whileRunning[0]).toBe('row,destination,message_ids,status,error,receipt');
    expect(whileRunning.length).toBeGreaterThanOrEqual(2);
    first.child.kill('SIGINT');
    const r1 = await first.done;
    expect(r1.code, r1.stderr).toBe(130);
    expect(r1.stderr).toMatch(
      /interrupted by SIGINT: \d+ rows sent in this run, \d+ not sent; the journal '.*results\.csv\.journal' says which/,
    );
    const atInterrupt = stored().length;
    expect(atInterrupt).toBeGreaterThan(0);
    expect(atInterrupt).toBeLessThan(n);
    // the journal says exactly which rows went out: accepted rows = messages stored
    const journal = readFileSync(`${out}.journal`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const accepted = journal.filter((e) => e.state === 'accepted').map((e) => e.row);
    expect(accepted.length).toBe(atInterrupt);
    expect(journal.filter((e) => e.state === 'submitting').length).toBe(accepted.length);
    const summary1 = JSON.parse(r1.stdout.trim().split('\n').at(-1)!);
    expect(summary1).toMatchObject({ type: 'summary', sent: atInterrupt, interrupted: 'SIGINT' });

    const r2 = await esme(args).done;
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(
      new RegExp(`resuming from the journal .*: ${atInterrupt} rows accepted before are not sent again`),
    );
    const summary2 = JSON.parse(r2.stdout.trim().split('\n').at(-1)!);
    expect(summary2).toMatchObject({ sent: n - atInterrupt, alreadySent: atInterrupt, failed: 0 });
    // at the simulator: every destination exactly once
    const tos = stored()
      .map((m) => m.to)
      .sort();
    expect(tos).toEqual(rows.map((r) => r.split(',')[0]).sort());
    // the out file, appended by the rerun: one line per row
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.startsWith('row,'))).toHaveLength(1);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0])).size).toBe(n);
    expect(lines.length - 1).toBe(n);
  });

  it('checked before anything is sent: a 15-character sender, missing columns, an empty file, a non-UTF-8 file', async () => {
    const url = await sim();
    const csv = join(dir, 'c.csv');
    writeFileSync(csv, 'to,name\n4790000001,Ann\n');
    const long = await esme([
      'bulk',
      '--url',
      url,
      '--csv',
      csv,
      '--template',
      'Hi {{name}}',
      '--from',
      'ACMECORPORATION',
    ]).done;
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--from 'ACMECORPORATION' is 15 characters, an alphanumeric sender has at most 11/);
    const cols = await esme(['bulk', '--url', url, '--csv', csv, '--template', 'Hi {{name}} {{code}}']).done;
    expect(cols.code).toBe(2);
    expect(cols.stderr).toMatch(/the CSV header \(to, name\) lacks the column\(s\) 'code'/);
    writeFileSync(join(dir, 'empty.csv'), '');
    const empty = await esme(['bulk', '--url', url, '--csv', join(dir, 'empty.csv'), '--template', 'x']).done;
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/is empty: no header row and no rows/);
    writeFileSync(join(dir, 'header.csv'), 'to,name\n\n');
    const headerOnly = await esme(['bulk', '--url', url, '--csv', join(dir, 'header.csv'), '--template', 'x']).done;
    expect(headerOnly.stderr).toMatch(/has a header row \(to, name\) and no rows \(1 blank\)/);
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('to,name\n4790000001,Ann\n4790000002,Müller\n', 'latin1'));
    const bad = await esme(['bulk', '--url', url, '--csv', latin1, '--template', 'Hi {{name}}']).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not UTF-8: byte 0xFC on line 3 .* give --encoding latin1/);
    expect(stored()).toHaveLength(0); // nothing was sent by any of these
    const good = await esme([
      'bulk',
      '--url',
      url,
      '--csv',
      latin1,
      '--template',
      'Hi {{name}}',
      '--encoding',
      'latin1',
      '--journal',
      join(dir, 'j1'),
    ]).done;
    expect(good.code, good.stderr).toBe(0);
    expect((await smsc!.waitForMessage({ to: '4790000002' })).text).toBe('Hi Müller');
  });

  it("';' exports detected, spreadsheet row numbers (blank lines counted), numbers as spreadsheets write them, dry run with parts and price", async () => {
    dir = mkdtempSync(join(tmpdir(), 'esme-bulk-dry-'));
    const csv = join(dir, 'semi.csv');
    writeFileSync(
      csv,
      'to;name\n+47 900 00 001;Ann\n\n900 00 002;Bø\n(479) 000-0003;' + 'long '.repeat(40) + '\n4790000001x;Bad\n',
    );
    const r = await esme([
      'bulk',
      '--csv',
      csv,
      '--template',
      'Hi {{name}}',
      '--country',
      'NO',
      '--dry-run',
      '--price',
      '0.05',
      '--json',
    ]).done;
    expect(r.stderr).toMatch(/delimiter ';' detected/);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).map((l) => [l.row, l.to, l.status, l.encoding, l.parts, l.cost])).toEqual([
      [2, '4790000001', 'dry-run', 'GSM 7-bit (SMSC default)', 1, 0.05],
      [4, '4790000002', 'dry-run', 'GSM 7-bit (SMSC default)', 1, 0.05],
      [5, '4790000003', 'dry-run', 'GSM 7-bit (SMSC default)', 2, 0.1],
      [6, '4790000001x', 'invalid', undefined, undefined, undefined],
    ]);
    expect(lines[1].text).toBe('Hi Bø');
    expect(lines[3].reason).toMatch(
      /to '4790000001x' is not a phone number: 'x' is not a digit \(expected an international number/,
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      dryRun: true,
      rows: 4,
      blank: 1,
      invalid: 1,
      messages: 3,
      parts: 4,
      cost: 0.2,
    });
    expect(r.code).toBe(1);
    expect(existsSync(`${csv}.journal`)).toBe(false); // a dry run writes no journal
  });

  it('--wait-dlr: the summary counts delivered and undelivered by stat, with the delivery rate; --out JSONL carries the stat', async () => {
    const url = await sim({
      rules: [{ match: { destination: '4790000003' }, outcome: { state: 'UNDELIVERABLE', err: 1 } }],
    });
    const csv = join(dir, 'c.csv');
    writeFileSync(csv, 'to,name\n4790000001,A\n4790000002,B\n4790000003,C\n4790000004,D\n');
    const out = join(dir, 'out.jsonl');
    const r = await esme([
      'bulk',
      '--url',
      url,
      '--csv',
      csv,
      '--template',
      'Hi {{name}}',
      '--wait-dlr',
      '10',
      '--out',
      out,
      '--json',
    ]).done;
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({
      sent: 4,
      failed: 0,
      delivered: 3,
      undelivered: 1,
      byStat: { DELIVRD: 3, UNDELIV: 1 },
      pending: 0,
      deliveryRate: 75,
    });
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.row, x.receipt]).sort()).toEqual([
      [2, 'DELIVRD'],
      [3, 'DELIVRD'],
      [4, 'UNDELIV'],
      [5, 'DELIVRD'],
    ]);
  });
});
