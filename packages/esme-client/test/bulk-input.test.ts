// The pieces of esme bulk: reading the file (UTF-8 checked across chunk boundaries, Latin-1 on request, the
// delimiter sniffed, spreadsheet row numbers), the journal (what a rerun skips, what it refuses), the out file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords, sniffDelimiter } from '../src/bulk/input.js';
import { Journal } from '../src/bulk/journal.js';
import { OutFile } from '../src/bulk/outfile.js';

const dir = mkdtempSync(join(tmpdir(), 'esme-bulk-unit-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function all(file: string, encoding: 'utf8' | 'latin1' = 'utf8', delimiter = ',') {
  const out = [];
  for await (const r of readRecords(file, { encoding, delimiter })) out.push(r);
  return out;
}

describe('readRecords', () => {
  it('numbers rows as a spreadsheet does: header 1, blank lines counted, a quoted newline stays in its row', async () => {
    const f = join(dir, 'a.csv');
    writeFileSync(f, '\ufeffto,name\r\n111,"A, B"\r\n\r\n222,"multi\r\nline"\r\n333,C\r\n');
    const rows = await all(f);
    expect(rows).toEqual([
      { row: 1, fields: ['to', 'name'] },
      { row: 2, fields: ['111', 'A, B'] },
      { row: 3, fields: [] },
      { row: 4, fields: ['222', 'multi\r\nline'] },
      { row: 5, fields: ['333', 'C'] },
    ]);
  });

  it('detects a file that is not UTF-8, naming the byte and the line; Latin-1 when told', async () => {
    const f = join(dir, 'l.csv');
    writeFileSync(f, Buffer.from('to,name\n1,Ann\n2,Müller\n', 'latin1'));
    await expect(all(f)).rejects.toThrow(/is not UTF-8: byte 0xFC on line 3 .*--encoding latin1/);
    const rows = await all(f, 'latin1');
    expect(rows[2]!.fields).toEqual(['2', 'Müller']);
  });

  it('accepts UTF-8 whose multi-byte characters straddle read chunks', async () => {
    const f = join(dir, 'big.csv');
    const line = '4790000001,Grüße 😀 Привет\n';
    writeFileSync(f, 'to,name\n' + line.repeat(20_000)); // > 64 KiB: several chunks, boundaries inside characters
    const rows = await all(f);
    expect(rows).toHaveLength(20_001);
    expect(rows.every((r, i) => i === 0 || r.fields[1] === 'Grüße 😀 Привет')).toBe(true);
  });

  it('refuses an overlong or truncated UTF-8 sequence', async () => {
    const f = join(dir, 'bad.csv');
    writeFileSync(f, Buffer.concat([Buffer.from('to\n'), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]));
    await expect(all(f)).rejects.toThrow(/byte 0xC0 on line 2/);
    writeFileSync(f, Buffer.concat([Buffer.from('to\n'), Buffer.from([0xe2, 0x82])]));
    await expect(all(f)).rejects.toThrow(/is not UTF-8/);
  });

  it("sniffs ';' and tab from the header row, ',' by default, quotes ignored", () => {
    const f = join(dir, 's.csv');
    writeFileSync(f, 'to;name;"a,b,c"\n1;2;3\n');
    expect(sniffDelimiter(f)).toBe(';');
    writeFileSync(f, 'to\tname\n');
    expect(sniffDelimiter(f)).toBe('\t');
    writeFileSync(f, 'to\n');
    expect(sniffDelimiter(f)).toBe(',');
  });
});

describe('Journal', () => {
  const campaign = { csv: 'c.csv', sha256: 'abc', template: 'Hi {{name}}', from: 'INFO', toColumn: 'to' };

  it('a rerun knows which rows were accepted, failed, or are in doubt (submitting with no outcome)', () => {
    const p = join(dir, 'j1');
    const j = new Journal(p, campaign);
    expect(j.resumed).toBe(false);
    j.record({ row: 2, state: 'submitting', to: '1' });
    j.record({ row: 2, state: 'accepted', ids: ['7'] });
    j.record({ row: 3, state: 'submitting', to: '2' });
    j.record({ row: 3, state: 'failed', status: 'ESME_RINVDSTADR' });
    j.record({ row: 4, state: 'submitting', to: '3' });
    j.close();
    writeFileSync(p, readFileSync(p, 'utf8') + '{"row":5,"sta'); // torn last line: killed while writing
    const again = new Journal(p, campaign);
    expect(again.resumed).toBe(true);
    expect(Object.fromEntries(again.previous)).toEqual({
      2: { state: 'accepted', ids: ['7'] },
      3: { state: 'failed', status: 'ESME_RINVDSTADR' },
      4: { state: 'submitting' },
    });
    again.close();
  });

  it("refuses another campaign's journal: a changed file, template or sender", () => {
    const p = join(dir, 'j2');
    new Journal(p, campaign).close();
    expect(() => new Journal(p, { ...campaign, sha256: 'def' })).toThrow(
      /belongs to another campaign: the file 'c.csv' differs/,
    );
    expect(() => new Journal(p, { ...campaign, template: 'Yo' })).toThrow(
      /its template was 'Hi \{\{name\}\}', now 'Yo'/,
    );
    writeFileSync(join(dir, 'notj'), 'hello\n');
    expect(() => new Journal(join(dir, 'notj'), campaign)).toThrow(/is not an esme bulk journal/);
  });
});

describe('OutFile', () => {
  it('CSV with a header (quoted where needed), JSONL by extension; other extensions refused', () => {
    const c = join(dir, 'o.csv');
    const o = new OutFile(c, false);
    o.write({ row: 2, to: '4790000001', status: 'sent', messageIds: ['1', '2'], receipt: 'DELIVRD' });
    o.write({ row: 3, to: 'x', status: 'invalid', reason: "to 'x', bad" });
    o.close();
    expect(readFileSync(c, 'utf8')).toBe(
      'row,destination,message_ids,status,error,receipt\n2,4790000001,1 2,sent,,DELIVRD\n3,x,,invalid,"to \'x\', bad",\n',
    );
    const again = new OutFile(c, true); // a resumed campaign appends, no second header
    again.write({ row: 4, to: '4790000002', status: 'failed', reason: 'ESME_RTHROTTLED' });
    again.close();
    expect(
      readFileSync(c, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('row,')),
    ).toHaveLength(1);
    const j = join(dir, 'o.jsonl');
    const oj = new OutFile(j, false);
    oj.write({ row: 2, status: 'sent', messageIds: ['9'] });
    oj.close();
    expect(JSON.parse(readFileSync(j, 'utf8'))).toEqual({ row: 2, status: 'sent', messageIds: ['9'] });
    expect(() => new OutFile(join(dir, 'o.txt'), false)).toThrow(/must end in .csv or .jsonl/);
  });
});
