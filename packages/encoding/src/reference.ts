/**
 * Concatenation reference numbers: one counter per destination (and reference size), wrapping, started at a
 * random value so that a restarted sender does not reuse the references of the messages it just sent.
 * The number of destinations remembered is bounded (least recently used forgotten first).
 */
export class ReferenceAllocator {
  private readonly last = new Map<string, number>();
  private readonly maxDestinations: number;
  private readonly random: () => number;

  constructor(opts: { maxDestinations?: number; random?: () => number } = {}) {
    this.maxDestinations = opts.maxDestinations ?? 10_000;
    this.random = opts.random ?? Math.random;
  }

  /** The next reference for `destination`: 0..255 for 8-bit, 0..65535 for 16-bit. */
  next(destination = '', bits: 8 | 16 = 8): number {
    const modulo = bits === 16 ? 0x10000 : 0x100;
    const key = `${bits}:${destination}`;
    const prev = this.last.get(key);
    const ref = prev === undefined ? Math.floor(this.random() * modulo) % modulo : (prev + 1) % modulo;
    if (prev !== undefined) this.last.delete(key);
    this.last.set(key, ref);
    if (this.last.size > this.maxDestinations) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
    return ref;
  }
}

/** The allocator splitMessage uses when the caller gives neither a reference nor an allocator. */
export const defaultReferences = new ReferenceAllocator();
