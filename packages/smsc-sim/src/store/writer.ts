// One commit's writes applied to SQLite, inside the transaction group-commit.ts opens: each op (insert, state,
// replace, history, outbox row or status) through its prepared statement in order (consecutive common inserts
// by multi-row statements, insert-rows.ts), then the batched
// acknowledgements as runs of consecutive ids (outbox rows; receipts acknowledged at their first attempt go to
// receipts_acked, receipt-runs.ts). A replace prepares one UPDATE per set of fields it changes, kept for reuse.
// A commit of one statement (sparse traffic: a lone submit's insert) runs it without BEGIN … COMMIT: SQLite commits
// an autocommit statement before its step returns, as COMMIT would (in the file when it returns, nothing of it
// when it fails), and the two statements the transaction costs (two calls into the driver, a result object each)
// are saved.
import { CHECKED_IN_WRITERS, COLUMN_OF, isCommon, notNullFailed, runInsert } from './columns.js';
import type { Op, Writes } from './group-commit.js';
import { CommonRowInserter } from './insert-rows.js';
import { RowExpander } from './pdu-fields.js';
import { forRuns } from './receipt-runs.js';
import type { MessageRecord } from './record.js';
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';
import type { Statements } from './statements.js';

/**
 * The function that writes one commit, in one transaction, or as one autocommit statement when that is all it
 * writes (created once per store).
 * @param compact the file takes compact rows (columns.ts takesCompactRows)
 */
export function commitWriter(db: SqlDatabase, st: Statements, compact: boolean): (w: Writes) => void {
  const write = transactionWriter(db, st, compact);
  const inTransaction = db.transaction(write);
  return (w: Writes): void => (oneStatement(w) ? write(w) : inTransaction(w));
}

/** one op written by one statement, nothing else (a replace writes its UPDATE and a history row) */
const oneStatement = (w: Writes): boolean =>
  w.ops.length === 1 && w.acked.length === 0 && w.ackedReceipts.length === 0 && w.ops[0]!.t !== 'replace';

/**
 * The function that writes one commit's ops and acknowledgements (run inside a transaction but for one statement).
 * @param compact the file takes compact rows (columns.ts takesCompactRows)
 */
export function transactionWriter(db: SqlDatabase, st: Statements, compact: boolean): (w: Writes) => void {
  const replaceStatements = new Map<string, SqlStatement>();
  const commonRows = new CommonRowInserter(db, compact);
  const expander = new RowExpander(db);

  const apply = (op: Op): void => {
    switch (op.t) {
      case 'insert':
        runInsert(st.insert, op.m, op.detail);
        return;
      case 'state':
        // state, err: nullable in a file created now (columns.ts CHECKED_IN_WRITERS), checked here
        st.state.run(op.state ?? notNullFailed('state'), op.err ?? notNullFailed('err'), op.doneAt, op.detail, op.id);
        return;
      case 'replace': {
        const keys = Object.keys(op.fields).filter((k) => k !== 'id' && COLUMN_OF[k as keyof MessageRecord]);
        const sig = keys.join(',');
        let s = replaceStatements.get(sig);
        if (!s) {
          s = db.prepare(
            `UPDATE messages SET ${keys.map((k) => `${COLUMN_OF[k as keyof MessageRecord]}=@${k}`).join(',')} WHERE id=@id`,
          );
          replaceStatements.set(sig, s);
        }
        // a compact row's fields come from its frame: written out before the frame changes (pdu-fields.ts)
        if (compact && op.fields.pdu !== undefined) expander.expand(op.id);
        const params: Record<string, unknown> = { id: op.id };
        for (const k of keys) {
          const v = (op.fields as Record<string, unknown>)[k] ?? null;
          const col = COLUMN_OF[k as keyof MessageRecord]!;
          if (v === null && CHECKED_IN_WRITERS.has(col)) notNullFailed(col);
          params[k] = v;
        }
        s.run(params);
        st.history.run(op.id, op.at, op.fields.state ?? 'ENROUTE', op.detail);
        return;
      }
      case 'history':
        st.history.run(op.id, op.at, op.state, op.detail);
        return;
      case 'outboxRow':
        st.outboxRow.run(op.id, op.kind, op.messageId, op.systemId, op.dueAt, op.attempts, op.status);
        return;
      case 'outboxStatus':
        st.outboxStatus.run(op.status, op.dueAt, op.attempts, op.id);
        return;
    }
  };

  return ({ ops, acked, ackedReceipts }: Writes): void => {
    for (const op of ops) {
      if (op.t === 'insert' && isCommon(op.m, op.detail)) {
        commonRows.add(op.m);
        continue;
      }
      // the common rows before it are written first: ops apply in order
      commonRows.flush();
      apply(op);
    }
    commonRows.flush();
    // after every other write (an item may be inserted and acknowledged within one commit)
    if (acked.length) forRuns(acked, (a, b) => st.outboxAcked.run(a, b));
    if (ackedReceipts.length) {
      const now = Date.now();
      forRuns(ackedReceipts, (a, b) => st.receiptsAcked.run(a, b, now));
    }
  };
}
