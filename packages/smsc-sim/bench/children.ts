// The benchmark's child processes: each server and each client in its own process (a core each), driven over IPC.
// startChild forks a bench file (run with tsx) and resolves with its first message's port; ask() sends a message
// and resolves with the next answer (answers come in the order asked).
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

export interface Child {
  proc: ChildProcess;
  port: number;
  ask(m: string | object): Promise<any>;
}

export interface ChildOptions {
  /**
   * open files the child needs (sockets): it is started through `sh -c 'ulimit -Sn …'` with its soft limit raised
   * to this (at most the hard limit; the child's `ulimit` says so on stderr and the start fails when it cannot)
   */
  files?: number;
}

export function startChild(file: string, args: string[], opts: ChildOptions = {}): Promise<Child> {
  return new Promise((resolve, reject) => {
    const execArgv = [
      '--import',
      'tsx',
      // the scale cases report the heap after a full collection
      '--expose-gc',
      ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    ];
    const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];
    const proc = opts.files
      ? spawn(
          '/bin/sh',
          ['-c', `ulimit -Sn ${opts.files} && exec "$@"`, 'sh', process.execPath, ...execArgv, here(file), ...args],
          { stdio },
        )
      : fork(here(file), args, { execArgv, stdio });
    const pending: Array<(m: any) => void> = [];
    proc.once('message', (first: any) => {
      proc.on('message', (m) => pending.shift()?.(m));
      resolve({
        proc,
        port: first.port,
        ask: (m) =>
          new Promise((r) => {
            pending.push(r);
            proc.send(m);
          }),
      });
    });
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

export async function stopChild(c: Child): Promise<void> {
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.send('stop');
  await exited;
}
