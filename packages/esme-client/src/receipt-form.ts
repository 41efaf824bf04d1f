// Learning a link's receipt id form (as given, hex written in decimal, decimal written in hex) from evidence:
// a receipt paired unambiguously (exactly one tracked submit named by its id, in any form) whose id names that
// submit in one form only. Nothing is concluded from what ids do not contain (no letters, no match).
import type { IdForm } from './receipt-index.js';

/** Unambiguous pairs a form needs before it is taken as the link's, and its lead over the other forms. */
const MIN_EVIDENCE = 3;
const LEAD = 4;

export class IdFormLearner {
  /** Unambiguous pairs seen in each form. */
  readonly evidence: Record<IdForm, number> = { same: 0, hexToDecimal: 0, decimalToHex: 0 };
  private decided: IdForm | undefined;

  constructor(private readonly fixed: IdForm | undefined) {
    this.decided = fixed;
  }

  /** The link's form: as configured, or learned; undefined while not known. */
  get form(): IdForm | undefined {
    return this.decided;
  }

  get isFixed(): boolean {
    return this.fixed !== undefined;
  }

  /** An unambiguous pair whose receipt id names its submit in `form` only. True when this decides the form. */
  observe(form: IdForm): boolean {
    this.evidence[form]++;
    if (this.decided) return false;
    const e = this.evidence;
    const others = e.same + e.hexToDecimal + e.decimalToHex - e[form];
    if (e[form] >= MIN_EVIDENCE && e[form] >= LEAD * others) {
      this.decided = form;
      return true;
    }
    return false;
  }

  /**
   * Held receipts as a whole: `form` is the one form under which every one of them (two at least) names a part
   * still waiting for its receipt. Decides the form (true) unless it is known already.
   */
  decideFromHeld(form: IdForm): boolean {
    if (this.decided) return false;
    this.decided = form;
    return true;
  }
}
