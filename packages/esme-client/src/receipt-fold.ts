// Folding final receipts into one logical result: a tracked message keeps one slot per part and destination (a
// submit_multi's receipts come one per destination and id), and once every slot is filled its receipts fold into a
// LogicalReceipt, with each destination's outcome for a submit_multi. Pure functions of an entry; when to pair, fold
// and forget is the matcher's (receipt-matcher.ts). On the per-receipt path nothing here allocates before the last
// receipt of a message.
import type { Entry, Ref } from './receipt-index.js';
import { upperCase } from './receipt-parse.js';
import type { DestinationOutcome, LogicalReceipt, PartReceipt } from './receipt-types.js';

/** Stats that are not final: the part is still waiting for its outcome. */
const INTERMEDIATE_STATS = new Set(['ENROUTE', 'SCHEDULED']);

/** An intermediate receipt (flagged so, or ENROUTE / SCHEDULED): it fills no slot. */
export function isIntermediate(part: PartReceipt): boolean {
  if (part.intermediate === true) return true;
  const stat = part.stat;
  return stat !== 'DELIVRD' && INTERMEDIATE_STATS.has(upperCase(stat));
}

/** A destination as a receipt's source_addr may write it: without a leading '+'. */
export function normalizeAddress(a: string): string {
  return a.charCodeAt(0) === 0x2b ? a.slice(1) : a;
}

/**
 * A message of `parts` parts to track, no id known yet: `destinations` a submit_multi's, one slot per part and
 * destination (slot part × fanout + destination); for one destination or none, one slot per part.
 */
export function newEntry(
  parts: number,
  meta: unknown,
  submittedAt: number,
  expiresAt: number,
  destinations: readonly string[] | undefined,
): Entry {
  const fanout = destinations && destinations.length > 1 ? destinations.length : 1;
  const slots = parts * fanout;
  return {
    messageIds: parts === 1 ? [''] : new Array<string>(parts).fill(''),
    fanout,
    destinations: fanout > 1 ? destinations!.map(normalizeAddress) : undefined,
    slots: slots === 1 ? [undefined] : new Array(slots).fill(undefined),
    remaining: slots,
    seq: 0,
    unanswered: parts,
    submittedAt,
    expiresAt,
    meta,
    result: undefined,
    indexedForm: undefined,
    list: undefined,
    prev: undefined,
    next: undefined,
  };
}

/** The slot of the part's receipt from `dest` (the first free one when the destination is not known), or -1. */
export function slotFor(ref: Ref, dest: string | undefined): number {
  const e = ref.entry;
  const base = ref.part * e.fanout;
  if (e.fanout === 1) return e.slots[base] === undefined ? base : -1;
  const d = dest !== undefined && e.destinations ? e.destinations.indexOf(dest) : -1;
  if (d >= 0) return e.slots[base + d] === undefined ? base + d : -1;
  for (let i = 0; i < e.fanout; i++) if (e.slots[base + i] === undefined) return base + i;
  return -1;
}

/** The logical result of an entry whose slots are all filled. */
export function foldReceipts(entry: Entry): LogicalReceipt {
  const parts = entry.slots as PartReceipt[];
  let failed: PartReceipt | undefined;
  let last = 0;
  for (const p of parts) {
    if (!failed && p.stat !== 'DELIVRD' && upperCase(p.stat) !== 'DELIVRD') failed = p;
    if (p.receivedAt! > last) last = p.receivedAt!;
  }
  const result: LogicalReceipt = {
    messageIds: entry.messageIds,
    stat: failed ? failed.stat : 'DELIVRD',
    delivered: !failed,
    parts,
    submittedAt: entry.submittedAt,
    latencyMs: last - entry.submittedAt,
    meta: entry.meta,
  };
  if (entry.destinations) result.destinations = destinationOutcomes(entry);
  return result;
}

function destinationOutcomes(entry: Entry): DestinationOutcome[] {
  const out: DestinationOutcome[] = [];
  const parts = entry.messageIds.length;
  for (let d = 0; d < entry.fanout; d++) {
    const ps: PartReceipt[] = [];
    for (let p = 0; p < parts; p++) ps.push(entry.slots[p * entry.fanout + d]!);
    const failed = ps.find((p) => p.stat.toUpperCase() !== 'DELIVRD');
    out.push({
      destination: entry.destinations![d]!,
      stat: failed ? failed.stat : 'DELIVRD',
      delivered: !failed,
      parts: ps,
    });
  }
  return out;
}
