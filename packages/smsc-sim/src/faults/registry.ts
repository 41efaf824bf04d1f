// Which faults apply to an account: set live (API, HTTP) for one account or for all, else from its config.
import type { FaultConfig } from '../config/types.js';
import { hasFaults } from './faults.js';

export interface FaultSource {
  get(systemId: string): { config: { faults?: FaultConfig } } | undefined;
  all(): Array<{ systemId: string; config: { faults?: FaultConfig } }>;
}

export class FaultRegistry {
  private live: FaultConfig | undefined;
  private readonly liveByAccount = new Map<string, FaultConfig>();
  /** some configured account has faults (else, with no live faults, faultsFor answers at once) */
  private readonly configured: boolean;

  constructor(
    global: FaultConfig | undefined,
    private readonly accounts: FaultSource,
  ) {
    this.live = global;
    this.configured = accounts.all().some((a) => hasFaults(a.config.faults));
  }

  /** The faults for a request of this account, if any. */
  faultsFor(systemId: string | null): FaultConfig | undefined {
    // the common case, asked twice per request: no fault injection anywhere
    if (this.live === undefined && this.liveByAccount.size === 0 && !this.configured) return undefined;
    const f =
      (systemId !== null
        ? (this.liveByAccount.get(systemId) ?? this.accounts.get(systemId)?.config.faults)
        : undefined) ?? this.live;
    return hasFaults(f) ? f : undefined;
  }

  /** Live fault injection: for one account, or for every account without its own. undefined clears. */
  set(faults: FaultConfig | undefined, systemId?: string): void {
    if (systemId === undefined) this.live = faults;
    else if (faults) this.liveByAccount.set(systemId, faults);
    else this.liveByAccount.delete(systemId);
  }

  /** What is set: globally, and per account (configured, then live). */
  list(): { global: FaultConfig | null; accounts: Record<string, FaultConfig> } {
    const accounts: Record<string, FaultConfig> = {};
    for (const a of this.accounts.all()) if (a.config.faults) accounts[a.systemId] = a.config.faults;
    for (const [k, v] of this.liveByAccount) accounts[k] = v;
    return { global: this.live ?? null, accounts };
  }
}
