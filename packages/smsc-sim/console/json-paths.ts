// JSON text as JSON.stringify(v, null, 2) writes it, plus where each value sits in it by its path
// (`rules[2].errorStatus`): how an API error naming a field is shown at that place in a JSON textarea.

export interface Located {
  text: string;
  at: Map<string, [number, number]>;
}

export function stringifyWithPaths(value: unknown, root: string): Located {
  let text = '';
  const at = new Map<string, [number, number]>();
  const pad = (n: number) => '  '.repeat(n);
  const walk = (v: unknown, path: string, depth: number) => {
    const start = text.length;
    if (Array.isArray(v) && v.length) {
      text += '[\n';
      v.forEach((x, i) => {
        text += pad(depth + 1);
        walk(x, `${path}[${i}]`, depth + 1);
        text += i < v.length - 1 ? ',\n' : '\n';
      });
      text += `${pad(depth)}]`;
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      text += '{\n';
      entries.forEach(([k, x], i) => {
        const keyStart = text.length;
        text += `${pad(depth + 1)}${JSON.stringify(k)}: `;
        walk(x, path ? `${path}.${k}` : k, depth + 1);
        at.set(path ? `${path}.${k}` : k, [keyStart + pad(depth + 1).length, text.length]);
        text += i < entries.length - 1 ? ',\n' : '\n';
      });
      text += `${pad(depth)}}`;
    } else {
      text += JSON.stringify(v) ?? 'null';
    }
    if (!at.has(path)) at.set(path, [start, text.length]);
  };
  walk(value, root, 0);
  return { text, at };
}

/** The range of `field`, or of the nearest enclosing path that is in the text (`rules[2].x` → `rules[2]`). */
export function locate(l: Located, field: string): [number, number] | null {
  let f = field.replace(/^body\./, '');
  for (;;) {
    const r = l.at.get(f);
    if (r) return r;
    const cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
    if (cut <= 0) return null;
    f = f.slice(0, cut);
  }
}

/** Rewrites the textarea as `value` and selects what `field` names, scrolled into view. */
export function selectField(area: HTMLTextAreaElement, value: unknown, root: string, field: string | null): boolean {
  const l = stringifyWithPaths(value, root);
  area.value = l.text;
  const r = field ? locate(l, field) : null;
  if (!r) return false;
  area.focus();
  area.setSelectionRange(r[0], r[1]);
  const line = l.text.slice(0, r[0]).split('\n').length - 1;
  const lineHeight = Number.parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 2) * lineHeight);
  return true;
}
