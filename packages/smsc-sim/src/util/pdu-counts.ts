// PDU counts of one direction and command (the metrics' smsc_pdus_total): the hot path bumps a plain number, status
// 0 in a field and other statuses in a map; api/metrics.ts keeps them and copies them out at a scrape.

export interface CommandCounts {
  ok: number;
  other: Map<number, number>;
}

/** Counts one PDU of that direction and command, with its command_status. */
export function countPdu(c: CommandCounts, status: number): void {
  if (status === 0) c.ok++;
  else c.other.set(status, (c.other.get(status) ?? 0) + 1);
}
