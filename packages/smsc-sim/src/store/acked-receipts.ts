// Receipts acknowledged at their first attempt, held in memory a little before they join a commit (which writes
// them as runs in receipts_acked: receipt-runs.ts). They ride with a commit of other writes at most once every
// ACK_MS (or once ACK_BATCH are held); a quiet period's first acknowledgement rides with the next commit, as before.
// What is held is handed to the group commit on its own ACK_MS after the first of it (a lazy commit then), before
// any read of the store (a read sees every acknowledgement made) and at close. Under load most commits then carry
// no acknowledgement: one statement and one page (receipts_acked's) fewer; at window 1 a lone submit's commit stays
// one autocommit statement rather than a transaction of three. An acknowledgement lost with the process (a kill
// within ~ACK_MS) means that receipt is sent again after a restart, as for a kill between sending it and its
// deliver_sm_resp: a receipt owed is never lost, it may come twice.
import type { GroupCommit, Writes } from './group-commit.js';

/** the most acknowledgements held: more join the next commit */
export const ACK_BATCH = 1024;
/** the least time between two commits of other writes that carry acknowledgements, and the longest one is held (ms) */
export const ACK_MS = 10;

export class AckedReceipts {
  private readonly held: number[] = [];
  /** one timer, made once and re-armed (refresh) */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armed = false;
  /** when held acknowledgements last joined a commit */
  private lastJoined = 0;

  constructor(private readonly gc: Pick<GroupCommit, 'ackReceipt'>) {}

  /** A receipt of message `messageId` acknowledged at its first attempt. */
  add(messageId: number): void {
    this.held.push(messageId);
    if (!this.armed) {
      this.armed = true;
      if (this.timer === undefined) this.timer = setTimeout(this.handOver, ACK_MS);
      else this.timer.refresh();
    }
  }

  /** Called with each commit's writes before they are written: what is held joins them, if it is time (returns w). */
  join(w: Writes): Writes {
    const held = this.held;
    if (held.length === 0) return w;
    const now = Date.now();
    if (now - this.lastJoined < ACK_MS && held.length < ACK_BATCH) return w;
    this.lastJoined = now;
    for (let i = 0; i < held.length; i++) w.ackedReceipts.push(held[i]!);
    held.length = 0;
    return w;
  }

  /** Every acknowledgement held joins the group commit's pending writes. */
  readonly handOver = (): void => {
    this.armed = false;
    const held = this.held;
    if (held.length === 0) return;
    this.lastJoined = Date.now();
    for (let i = 0; i < held.length; i++) this.gc.ackReceipt(held[i]!);
    held.length = 0;
  };

  /** Hands over what is held, and stops the timer. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.handOver();
  }
}
