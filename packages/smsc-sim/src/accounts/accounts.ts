// Accounts: who may bind, how, how often, from where, and which numbers each owns.
// The bind decision (a command_status) is made here; the session layer only applies it.
import type { CommandStatusName } from '@smppkit/core';
import { defaultsOf } from '../config/fields.js';
import { ACCOUNT_FIELDS } from '../config/schema.js';
import type { AccountConfig, BindType, ReceiptStyle } from '../config/types.js';
import { type AddressMatcher, compilePatterns } from './address-pattern.js';

/** Why a bind was refused, as core's status names. */
export type BindRefusal = Extract<CommandStatusName, 'ESME_RINVSYSID' | 'ESME_RINVPASWD' | 'ESME_RBINDFAIL'>;

export interface Account {
  readonly config: AccountConfig;
  readonly systemId: string;
  readonly style: ReceiptStyle;
  readonly sourceAllowed: AddressMatcher;
  readonly owns: AddressMatcher;
  binds: number;
}

/** The open mode (no accounts configured): anyone may bind, from a loopback address only; an account's defaults, with room for many binds. */
const OPEN_ACCOUNT_DEFAULTS = { ...defaultsOf(ACCOUNT_FIELDS), maxBinds: 1_000_000, window: 100_000 } as Omit<
  AccountConfig,
  'systemId' | 'password'
>;

export function isLoopback(addr: string | undefined): boolean {
  if (!addr) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

export class Accounts {
  private readonly bySystemId = new Map<string, Account>();
  /** accounts that own numbers (the only ones ownerOf must look at) */
  private readonly owners: Account[] = [];
  readonly open: boolean;

  constructor(
    configs: readonly AccountConfig[],
    private readonly openStyle: ReceiptStyle,
  ) {
    this.open = configs.length === 0;
    for (const c of configs) {
      const a = makeAccount(c);
      this.bySystemId.set(c.systemId, a);
      if (c.numbers.length) this.owners.push(a);
    }
  }

  get(systemId: string): Account | undefined {
    return this.bySystemId.get(systemId);
  }

  all(): Account[] {
    return [...this.bySystemId.values()];
  }

  /**
   * Decides a bind. Returns the account (created on the fly in open mode) or the refusal.
   * Max binds is checked here and the bind counted; call release() when the session ends.
   */
  authenticate(
    systemId: string,
    password: string,
    type: BindType,
    remoteAddress: string | undefined,
  ): Account | BindRefusal {
    let acc = this.bySystemId.get(systemId);
    if (this.open) {
      if (!isLoopback(remoteAddress)) return 'ESME_RBINDFAIL';
      if (!acc) {
        acc = makeAccount({ ...OPEN_ACCOUNT_DEFAULTS, receipt: this.openStyle, systemId, password: '' });
        this.bySystemId.set(systemId, acc);
      }
    } else {
      if (!acc) return 'ESME_RINVSYSID';
      if (acc.config.password !== password) return 'ESME_RINVPASWD';
      if (!acc.config.bindTypes.includes(type)) return 'ESME_RBINDFAIL';
    }
    if (acc.binds >= acc.config.maxBinds) return 'ESME_RBINDFAIL';
    acc.binds++;
    return acc;
  }

  release(acc: Account): void {
    if (acc.binds > 0) acc.binds--;
  }

  /** The account that owns a number (ESME-to-ESME and MO routing), if any. */
  ownerOf(addr: string): Account | undefined {
    for (const a of this.owners) if (a.owns(addr)) return a;
    return undefined;
  }
}

function makeAccount(c: AccountConfig): Account {
  const anySource = c.sourceAddresses.length === 0;
  const src = compilePatterns(c.sourceAddresses);
  return {
    config: c,
    systemId: c.systemId,
    style: c.receipt,
    sourceAllowed: anySource ? () => true : src,
    owns: compilePatterns(c.numbers),
    binds: 0,
  };
}
