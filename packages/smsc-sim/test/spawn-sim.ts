// Runs the built CLI (packages/smsc-sim/dist/cli.js) as a child process and learns its ports from the banner.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export function cliBuilt(): boolean {
  return existsSync(CLI);
}

export interface SpawnedSim {
  child: ChildProcess;
  port: number;
  httpPort: number | null;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** @param env added to this process's environment for the child */
export function spawnSim(args: string[], cwd?: string, env?: Record<string, string>): Promise<SpawnedSim> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'start', ...args], {
      cwd,
      env: env ? { ...process.env, ...env } : undefined,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    child.stdout!.resume();
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /listening on smpp:\/\/[^:]+:(\d+)/.exec(err);
      const h = /admin API: http:\/\/[^:]+:(\d+)/.exec(err);
      if (m && (h || err.includes('admin API: off')))
        resolve({ child, port: Number(m[1]), httpPort: h ? Number(h[1]) : null, stderr: () => err, exited });
    });
    exited.then(({ code }) => reject(new Error(`smsc-sim exited (${code}) before listening: ${err}`)));
    setTimeout(() => reject(new Error(`smsc-sim did not start within 15 s: ${err}`)), 15_000).unref();
  });
}
