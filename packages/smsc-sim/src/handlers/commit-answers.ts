// The answers a commit's callbacks give (submit_sm_resp and the like) are written as soon as the commit's listeners
// have run (the receipts it releases join them in the write), not when the read that brought their requests ends.
// A read of many submits commits every maxGroupCommit of them (store/group-commit.ts): their answers then reach
// the client while the simulator goes on with the rest of the read, so both work at once. The session alone would
// hold them until its callback ends (writeTiming 'callback'), or until maxPdusPerWrite (128) are queued: more
// than one commit's 64.
import type { Connection } from '../server/connection.js';

export class CommitAnswers {
  private readonly conns: Connection[] = [];
  private last: Connection | undefined;

  /** conn was given an answer in a commit's callbacks */
  answered(conn: Connection): void {
    if (conn === this.last) return;
    this.last = conn;
    this.conns.push(conn);
  }

  /** A commit's listeners ran (store.onCommit): what its callbacks answered is written now. */
  readonly flush = (): void => {
    const conns = this.conns;
    for (let i = 0; i < conns.length; i++) conns[i]!.session.flushWrites();
    conns.length = 0;
    this.last = undefined;
  };
}
