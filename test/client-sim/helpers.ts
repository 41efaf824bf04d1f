// Spawning the esme CLI against an embedded simulator: the shared plumbing of the client-sim tests.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
export const cli = join(root, 'packages/esme-client/dist/cli.js');

export function ensureBuilt(): void {
  if (!existsSync(cli)) {
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '-b',
        'packages/encoding',
        'packages/smpp-core',
        'packages/esme-client',
      ],
      { cwd: root, stdio: 'inherit' },
    );
  }
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface Spawned {
  child: ChildProcess;
  done: Promise<Run>;
  /** Resolves once stderr (progress) or stdout matches. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  stdout(): string;
}

export function esme(args: string[], opts: { timeoutMs?: number; input?: string } = {}): Spawned {
  const t0 = Date.now();
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: Array<{ re: RegExp; resolve: () => void }> = [];
  const check = () => {
    for (const w of watchers.splice(0)) {
      if (w.re.test(out) || w.re.test(err)) w.resolve();
      else watchers.push(w);
    }
  };
  child.stdout!.on('data', (d) => {
    out += d;
    check();
  });
  child.stderr!.on('data', (d) => {
    err += d;
    check();
  });
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 25_000);
  const done = new Promise<Run>((r) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      r({ code, signal, stdout: out, stderr: err, ms: Date.now() - t0 });
    }),
  );
  return {
    child,
    done,
    stdout: () => out,
    waitFor: (re, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(new Error(`timed out waiting for ${re}; stderr: ${err.slice(-500)}; stdout: ${out.slice(-500)}`)),
          timeoutMs,
        );
        watchers.push({ re, resolve: () => (clearTimeout(t), resolve()) });
        check();
      }),
  };
}
