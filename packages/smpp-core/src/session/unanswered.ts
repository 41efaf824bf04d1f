// The peer's requests handed to the application and not answered yet, by sequence number, and who waits for
// there to be none (a graceful unbind waits for the application's answers before it sends unbind).

export class Unanswered {
  private readonly seqs = new Set<number>();
  private emptyListeners: Array<() => void> = [];

  get size(): number {
    return this.seqs.size;
  }

  add(sequenceNumber: number): void {
    this.seqs.add(sequenceNumber);
  }

  has(sequenceNumber: number): boolean {
    return this.seqs.has(sequenceNumber);
  }

  /** Forget one (it is being answered); false when it was not there (never received, or answered already). */
  delete(sequenceNumber: number): boolean {
    if (!this.seqs.delete(sequenceNumber)) return false;
    this.changed();
    return true;
  }

  /** Forget all (the session closed). */
  clear(): void {
    this.seqs.clear();
    this.changed();
  }

  /** Resolves once nothing is unanswered (at once when nothing is). */
  whenEmpty(): Promise<void> {
    if (this.seqs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyListeners.push(resolve));
  }

  private changed(): void {
    if (this.seqs.size > 0 || this.emptyListeners.length === 0) return;
    const listeners = this.emptyListeners;
    this.emptyListeners = [];
    for (const l of listeners) l();
  }
}
