// waitForMessage: callers waiting for a message to match, re-checked after each commit (and on the sweep, since
// implicit transitions are not commits), rejected on close.
import type { MessageView } from './message-view.js';

/** how often the sweep re-checks waiters at most */
const RECHECK_MS = 50;

export type TextFilter = { text?: string | RegExp };

export class Waiters {
  private readonly waiting = new Map<() => void, (e: Error) => void>();
  private lastCheck = 0;

  /**
   * Resolves with the first message `find` returns (now or when re-checked within timeoutMs). `text` narrows by
   * the text (a substring or a regex); `what` names the filter in the timeout error.
   */
  wait(find: () => MessageView[], text: TextFilter['text'], what: unknown, timeoutMs: number): Promise<MessageView> {
    const first = (): MessageView | undefined =>
      find().find((m) => text === undefined || (typeof text === 'string' ? m.text.includes(text) : text.test(m.text)));
    let now: MessageView | undefined;
    try {
      now = first();
    } catch (e) {
      return Promise.reject(e);
    }
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        let m: MessageView | undefined;
        try {
          m = first();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (m) {
          done();
          resolve(m);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`waitForMessage: no message matching ${JSON.stringify(what)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(check);
      };
      this.waiting.set(check, (e) => {
        done();
        reject(e);
      });
    });
  }

  /** After a commit: every waiter checks again (a check that finds its message removes itself, hence the copy; a
   * commit with nobody waiting, the usual case, makes no array). */
  check(): void {
    if (this.waiting.size === 0) return;
    for (const w of [...this.waiting.keys()]) w();
  }

  /** On the sweep: again at most every RECHECK_MS. */
  sweep(now: number): void {
    if (this.waiting.size && now - this.lastCheck >= RECHECK_MS) {
      this.lastCheck = now;
      this.check();
    }
  }

  failAll(e: Error): void {
    for (const fail of [...this.waiting.values()]) fail(e);
  }
}
