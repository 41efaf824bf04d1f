import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/bulk/csv.js';
import { compileTemplate, missingFields, renderTemplate } from '../src/bulk/template.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, escaped quotes and newlines, CRLF and a BOM', () => {
    const text =
      '\ufeffto,name,code\r\n4790000001,"Smith, Anna",123\r\n4790000002,"Bob ""the builder""",456\r\n4790000003,"multi\nline",789\r\n';
    const r = parseCsv(text);
    expect(r.header).toEqual(['to', 'name', 'code']);
    expect(r.invalid).toEqual([]);
    expect(r.rows.map((x) => x.values.name)).toEqual(['Smith, Anna', 'Bob "the builder"', 'multi\nline']);
    expect(r.rows.map((x) => x.row)).toEqual([2, 3, 4]);
  });

  it('reports invalid rows with their row number and reason, and keeps the valid ones', () => {
    const text = 'to,name\n111,Ann\n222\n333,"Bo"b\n444,Cy\n555,"unterminated';
    const r = parseCsv(text);
    expect(r.rows.map((x) => x.values.to)).toEqual(['111', '444']);
    expect(r.invalid).toHaveLength(3);
    expect(r.invalid[0]).toEqual({ row: 3, reason: 'has 1 fields, the header has 2' });
    expect(r.invalid[1]!.row).toBe(4);
    expect(r.invalid[1]!.reason).toMatch(/after closing quote/);
    expect(r.invalid[2]!.row).toBe(6);
    expect(r.invalid[2]!.reason).toMatch(/unterminated/);
  });

  it('skips blank lines but not rows of empty fields; flags an empty file', () => {
    const r = parseCsv('a,b\n\n1,2\n,\n');
    expect(r.rows.map((x) => x.values)).toEqual([
      { a: '1', b: '2' },
      { a: '', b: '' },
    ]);
    expect(parseCsv('').invalid[0]!.reason).toMatch(/empty/);
  });
});

describe('templates', () => {
  it('substitutes fields and names missing or empty ones', () => {
    const t = compileTemplate('Hi {{name}}, your code is {{ code }}');
    expect(t.fields).toEqual(['name', 'code']);
    expect(renderTemplate(t, { name: 'Ann', code: '42' })).toEqual({ text: 'Hi Ann, your code is 42' });
    expect(renderTemplate(t, { name: ' ', code: '42' })).toEqual({ error: "field 'name' is empty" });
    expect(missingFields(t, ['to', 'name'])).toEqual(['code']);
    expect(() => compileTemplate('Hi {{name}')).toThrow(/unbalanced/);
  });
});
