// The store room: record types, the message table, lifecycle rules, group commit, receipt runs, queries.
export { MessageStore } from './message-store.js';
export type {
  Direction,
  HistoryEntry,
  MessageFilter,
  MessageRecord,
  OutboxItem,
  OutboxKind,
  OutboxStatus,
  PlannedTransition,
} from './record.js';
