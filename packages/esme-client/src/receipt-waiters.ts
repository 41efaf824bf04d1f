// Callers of waitFor(): keyed by a message's first id (normalised), resolved with its logical receipt or rejected
// on timeout / close. Not on the hot path (a load run waits for nobody): one timer per waiter.
import { normalizeReceiptId } from '@smppkit/core';
import { type LogicalReceipt, ReceiptTimeoutError } from './receipt-types.js';

interface Waiter {
  resolve: (r: LogicalReceipt) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class ReceiptWaiters {
  private readonly byId = new Map<string, Waiter[]>();

  get size(): number {
    return this.byId.size;
  }

  /** Wait under `key` (a message id); `shownId` names it in the timeout error. */
  wait(key: string, shownId: string, timeoutMs: number): Promise<LogicalReceipt> {
    const k = normalizeReceiptId(key);
    return new Promise((resolve, reject) => {
      const w: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs > 0) {
        w.timer = setTimeout(() => {
          const list = this.byId.get(k);
          if (list) {
            const i = list.indexOf(w);
            if (i >= 0) list.splice(i, 1);
            if (list.length === 0) this.byId.delete(k);
          }
          reject(new ReceiptTimeoutError(shownId, timeoutMs));
        }, timeoutMs);
      }
      const list = this.byId.get(k);
      if (list) list.push(w);
      else this.byId.set(k, [w]);
    });
  }

  /** Resolve whoever waits under any of these ids. */
  settle(ids: readonly string[], result: LogicalReceipt): void {
    if (this.byId.size === 0) return;
    for (const id of ids) {
      const k = normalizeReceiptId(id);
      const list = this.byId.get(k);
      if (!list) continue;
      this.byId.delete(k);
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer);
        w.resolve(result);
      }
    }
  }

  rejectAll(err: Error): void {
    for (const list of this.byId.values()) {
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer);
        w.reject(err);
      }
    }
    this.byId.clear();
  }
}
