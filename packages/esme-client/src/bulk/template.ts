// Message templates: "Hi {{name}}, your code is {{code}}" filled from one CSV row.

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export interface Template {
  source: string;
  fields: string[];
}

/** Parse a template and list its fields; unbalanced braces are an error naming the position. */
export function compileTemplate(source: string): Template {
  const fields: string[] = [];
  for (const m of source.matchAll(PLACEHOLDER)) {
    if (!fields.includes(m[1]!)) fields.push(m[1]!);
  }
  const rest = source.replace(PLACEHOLDER, '');
  const bad = rest.search(/\{\{|\}\}/);
  if (bad >= 0)
    throw new Error(`template has an unbalanced '{{' or '}}' near '${rest.slice(Math.max(0, bad - 10), bad + 12)}'`);
  return { source, fields };
}

/** Fields the template uses that the CSV header lacks. */
export function missingFields(t: Template, header: string[]): string[] {
  return t.fields.filter((f) => !header.includes(f));
}

/** Fill the template; an empty or missing value is an error naming the field (the caller reports the row). */
export function renderTemplate(t: Template, values: Record<string, string>): { text: string } | { error: string } {
  for (const f of t.fields) {
    const v = values[f];
    if (v === undefined) return { error: `field '${f}' is missing` };
    if (v.trim() === '') return { error: `field '${f}' is empty` };
  }
  return { text: t.source.replace(PLACEHOLDER, (_m, f: string) => values[f]!) };
}
