// What the API shows of stored messages: the list (logical messages, parts reassembled) and one message with its
// parts' PDUs, state history and deliveries.
import type { Delivery } from '../delivery/delivery.js';
import { parseMessageId } from '../store/message-id.js';
import type { MessageStore } from '../store/message-store.js';
import type { ScanWindow } from '../store/queries.js';
import type { MessageFilter, MessageRecord } from '../store/record.js';
import { decodedJson } from '../util/decoded-json.js';
import { type MessageView, toView } from './message-view.js';

export interface MessageDetail extends MessageView {
  history: Array<{ id: string; at: string; state: string; detail: string }>;
  /** = ids */
  messageIds: string[];
  /** each part's request as received: decoded fields (= decoded) and hex */
  pdus: Array<{
    id: string;
    direction: 'in';
    command: string;
    at: string;
    hex: string | null;
    decoded: unknown;
    fields: unknown;
  }>;
  deliveries: Array<{ id: string; kind: string; systemId: string; status: string; attempts: number }>;
}

type Store = Pick<MessageStore, 'query' | 'byIdWithMulti' | 'group' | 'history' | 'outboxOf'>;

/**
 * A page of the message list: `totalIsLowerBound` when more rows match a filter than its total looks at; with a
 * ScanWindow, `scanned` (the ids looked at) when that was not every row, and `cursor` to go on from (queries.ts).
 */
export interface MessagePage {
  total: number;
  totalIsLowerBound?: true;
  scanned?: { fromId: number; toId: number };
  cursor?: string;
  messages: MessageView[];
}

export function listMessages(
  store: Pick<MessageStore, 'query'>,
  filter: MessageFilter,
  scan?: ScanWindow,
): MessagePage {
  const { groups, cursor, ...total } = store.query(filter, scan);
  const page: MessagePage = { ...total, messages: groups.map((g) => toView(g)) };
  if (cursor !== undefined) page.cursor = String(cursor);
  return page;
}

/** An id that names messages of several accounts (their ids written in different forms): give the systemId. */
export class AmbiguousIdError extends Error {
  constructor(
    readonly id: string,
    readonly systemIds: string[],
  ) {
    super(`message id ${JSON.stringify(id)} names messages of ${systemIds.join(', ')}: give systemId`);
  }
}

/**
 * One message by the id an ESME was given (decimal or hex, by account), or else by the store's numeric id: an id
 * an ESME was given wins over a row number that reads the same ("65" is message 65 in hex before row 65). Throws
 * AmbiguousIdError when the id is the given id of messages of several accounts and no systemId says which.
 */
export function messageDetail(
  store: Store,
  delivery: Pick<Delivery, 'unstoredReceipt'>,
  id: string,
  systemId?: string,
): MessageDetail | undefined {
  const candidates = new Set<number>();
  for (const fmt of ['decimal', 'hex'] as const) {
    const n = parseMessageId(id, fmt);
    if (n !== null) candidates.add(n);
  }
  const given: MessageRecord[][] = [];
  let numbered: MessageRecord[] = [];
  for (const n of candidates) {
    const rows = store.byIdWithMulti(n).filter((m) => systemId === undefined || m.systemId === systemId);
    const named = rows.filter((m) => m.mid === id.toLowerCase());
    if (named.length) given.push(named);
    else if (numbered.length === 0) numbered = rows.filter((m) => String(m.id) === id);
  }
  if (given.length > 1) throw new AmbiguousIdError(id, [...new Set(given.map((g) => g[0]!.systemId))]);
  const parts = given[0] ?? numbered;
  if (parts.length === 0) return undefined;
  const group = store.group(parts[0].groupId);
  const view = toView(group);
  const history = group.flatMap((p) =>
    store.history(p.id).map((h) => ({ id: p.mid, at: new Date(h.at).toISOString(), state: h.state, detail: h.detail })),
  );
  const pdus = group.map((p) => {
    const decoded = p.pdu ? decodedJson(p.pdu) : null;
    return {
      id: p.mid,
      direction: 'in' as const,
      command: p.command,
      at: new Date(p.submittedAt).toISOString(),
      hex: p.pdu ? p.pdu.toString('hex') : null,
      decoded,
      fields: decoded,
    };
  });
  const deliveries = group.flatMap((p) => {
    const items = store.outboxOf(p.id);
    const owed = delivery.unstoredReceipt(p.id); // a receipt gets its row at its first outcome
    if (owed) items.push(owed);
    return items.map((o) => ({
      id: p.mid,
      kind: o.kind,
      systemId: o.systemId,
      status: o.status,
      attempts: o.attempts,
    }));
  });
  return { ...view, messageIds: view.ids, history, pdus, deliveries };
}
