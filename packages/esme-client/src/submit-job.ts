// A submit that reports its outcome to a callback object instead of settling a promise: the load generator's path
// (one object per message; no promise, closure or result object). The same bookkeeping as Client.submitPrepared
// for a one-part message: the receipt entry gets the id when the response comes, or is dropped when the submit
// fails before any id.
import type { Pdu } from '@smppkit/core';
import { type ClientEventHost, emitReceipts, reportError } from './client-events.js';
import type { Entry } from './receipt-index.js';
import type { ReceiptMatcher } from './receipt-matcher.js';
import { type Job, type RequestFields, takeOrder } from './sender.js';

/** Where a submit sent with Client.sendPrepared ends: accepted (status 0) or failed (the error submit rejects with). */
export interface SubmitDone {
  ok(messageId: string): void;
  fail(err: Error): void;
}

export class SubmitJob implements Job {
  readonly order = takeOrder();
  attempts = 0;
  sent = false;
  onWire = false;
  notBefore = 0;
  settled = false;

  constructor(
    readonly pdu: RequestFields,
    readonly deadline: number,
    private readonly host: ClientEventHost,
    private readonly matcher: ReceiptMatcher,
    private readonly tracked: Entry | undefined,
    private readonly done: SubmitDone,
    readonly encoded: Buffer | undefined,
  ) {}

  resolve(resp: Pdu): void {
    const id = (resp as Pdu & { message_id?: string }).message_id ?? '';
    if (this.tracked) {
      try {
        emitReceipts(this.host, this.matcher.addId(this.tracked, 0, id));
      } catch (err) {
        // a receipt listener threw: the submit's outcome is that error (as submitPrepared's promise rejects)
        this.done.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
    this.done.ok(id);
  }

  reject(err: Error): void {
    if (this.tracked) {
      try {
        emitReceipts(this.host, this.matcher.abandon(this.tracked));
      } catch (thrown) {
        // a receipt listener threw: reported, the submit's own outcome still goes out
        reportError(this.host, thrown instanceof Error ? thrown : new Error(String(thrown)));
      }
    }
    this.done.fail(err);
  }
}
