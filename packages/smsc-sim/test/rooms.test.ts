// The simulator's source in rooms that depend one way (docs/architecture.md draws the map): no import circle
// between files, no import against the room order below, no file over 300 lines.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** Each room and the rooms it may import from ('.' is the entry: index.ts, cli.ts, smsc.ts). */
const ROOMS: Record<string, readonly string[]> = {
  util: [],
  config: [],
  scenario: ['config'],
  accounts: ['config'],
  faults: ['config'],
  store: ['config', 'util'],
  server: ['accounts', 'config', 'faults', 'util'],
  delivery: ['accounts', 'config', 'store', 'util'],
  api: ['config', 'delivery', 'server', 'store', 'util'],
  handlers: ['accounts', 'api', 'config', 'delivery', 'scenario', 'server', 'store', 'util'],
  '.': ['accounts', 'api', 'config', 'delivery', 'faults', 'handlers', 'scenario', 'server', 'store', 'util'],
};

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(SRC, join(dir, e.name))] : [],
  );
}

/** file → the files it imports (relative imports only; type-only imports count too) */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of sources()) {
    const text = readFileSync(join(SRC, f), 'utf8');
    const targets = [...text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map((m) =>
      normalize(join(dirname(f), m[1])).replace(/\.js$/, '.ts'),
    );
    graph.set(f, targets);
  }
  return graph;
}

const roomOf = (f: string) => (dirname(f) === '.' ? '.' : dirname(f).split('/')[0]);

describe('smsc-sim rooms', () => {
  const graph = importGraph();

  it('has every source file in a declared room, and every import resolves to a file', () => {
    for (const [f, targets] of graph) {
      expect(ROOMS[roomOf(f)], f).toBeDefined();
      for (const t of targets) expect(graph.has(t), `${f} imports ${t}`).toBe(true);
    }
  });

  it('has no import circle between files', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(circles).toEqual([]);
  });

  it('imports across rooms only in the declared direction', () => {
    const against: string[] = [];
    for (const [f, targets] of graph) {
      for (const t of targets) {
        const from = roomOf(f);
        const to = roomOf(t);
        if (from !== to && !ROOMS[from].includes(to)) against.push(`${f} → ${t}`);
      }
    }
    expect(against).toEqual([]);
  });

  it('has no file over 300 lines', () => {
    const long = sources()
      .map((f) => [f, readFileSync(join(SRC, f), 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });
});
