// A foreign SMPP peer run as a child process that prints one JSON object per line.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface PeerEvent {
  event: string;
  [k: string]: unknown;
}

export class PeerProcess {
  readonly events: PeerEvent[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private waiters: Array<{ pred: (e: PeerEvent) => boolean; resolve: (e: PeerEvent) => void }> = [];
  readonly exited: Promise<number>;

  constructor(cmd: string, args: string[]) {
    this.child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let e: PeerEvent;
      try {
        e = JSON.parse(line) as PeerEvent;
      } catch {
        this.stderr.push(`stdout (not JSON): ${line}`);
        return;
      }
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
    });
    this.child.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code ?? -1)));
  }

  /** The first event (past or future) named `name` that satisfies `pred`. */
  waitFor(name: string, timeoutMs = 20_000, pred: (e: PeerEvent) => boolean = () => true): Promise<PeerEvent> {
    const match = (e: PeerEvent) => e.event === name && pred(e);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () =>
          reject(
            new Error(
              `no '${name}' event within ${timeoutMs} ms; events: ${JSON.stringify(this.events)}; stderr: ${this.stderr.join('')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({ pred: match, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
