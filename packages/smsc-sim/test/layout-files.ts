// What the store-layout tests share (id-mids, defaulted-columns): a file whose messages table an older version
// created, and a single-part submit_sm record as accept() stores it (its frame holds its fields: a compact row
// where the file takes it).
import { encodePdu } from '@smppkit/core';
import Database from 'better-sqlite3';
import type { MessageRecord, MessageStore } from '../src/store/index.js';
import { FRAMED_SQL } from '../src/store/pdu-fields.js';
import { messageRecord } from './records.js';

/** A new file (from `path`) with `ddl` run in WAL mode, as an older version left it. */
export function fileWithLayout(path: string, ddl: string): string {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(ddl);
  db.close();
  return path;
}

/**
 * The messages rows as SELECT * gives them, mid left out and the addresses as readers see them (an ADDRS row of a
 * file created now holds NULL there, its frame the octets): what a file holds, whatever its layout.
 */
export function rawRows(s: MessageStore): Array<Record<string, unknown>> {
  const sql = `SELECT *, ${FRAMED_SQL.source_addr} AS seen_source, ${FRAMED_SQL.dest_addr} AS seen_dest FROM messages ORDER BY id`;
  return (s.db.prepare(sql).all() as Array<Record<string, unknown>>).map(({ seen_source, seen_dest, ...r }) => ({
    ...r,
    mid: null,
    source_addr: seen_source,
    dest_addr: seen_dest,
  }));
}

const TEXT = Buffer.from('Your code is 123456');

/** Message `id`: a single-part submit_sm as accept() stores it, due at `dueAt`, with `over` applied. */
export function submittedRecord(id: number, dueAt: number, over: Partial<MessageRecord> = {}): MessageRecord {
  const frame = encodePdu({
    command: 'submit_sm',
    command_status: 0,
    sequence_number: id,
    service_type: '',
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '111',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '222',
    esm_class: 0,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 1,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: TEXT,
  } as never);
  return messageRecord(id, { shortMessage: TEXT, text: '', dueAt, pdu: Buffer.from(frame), ...over });
}
