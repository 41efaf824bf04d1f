// Open concatenation groups: the parts of one long message (same account, addresses, reference and total) share
// the group id of the first part seen. A group stops collecting parts when complete or after GROUP_TTL_MS.

/** an incomplete concatenated message stops collecting parts after this long */
const GROUP_TTL_MS = 10 * 60_000;

export class ConcatGroups {
  private readonly open = new Map<string, { groupId: number; seen: number; at: number }>();

  /** The group id of a part (`id`, the part's own, when it is the first seen). */
  join(key: string, id: number, total: number, now: number): number {
    let g = this.open.get(key);
    if (!g) {
      g = { groupId: id, seen: 0, at: now };
      this.open.set(key, g);
    }
    if (++g.seen >= total) this.open.delete(key);
    return g.groupId;
  }

  /** Forgets groups open longer than GROUP_TTL_MS (called by the sweep). */
  expire(now: number): void {
    for (const [k, g] of this.open) if (now - g.at > GROUP_TTL_MS) this.open.delete(k);
  }
}
