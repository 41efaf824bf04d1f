/**
 * The one place that decides how a text becomes parts: the encoding (chooseEncoding, unless the caller fixed the
 * data_coding), then the parts (fixed-plan.ts). countMessage reports a plan; splitMessage builds the bytes of a
 * plan — so they always agree. Dependencies go one way: plan → choose → fixed-plan.
 */
import { chooseEncoding, type EncodingChoice } from './choose.js';
import { type FixedPlan, type MessageOptions, planFixed, splitModeOf } from './fixed-plan.js';

export type { MessageEncoding, MessageOptions, SplitMode } from './fixed-plan.js';

export interface Plan extends FixedPlan {
  /** How chooseEncoding chose, when it did. */
  choice?: EncodingChoice;
}

export function planMessage(text: string, opts: MessageOptions = {}): Plan {
  if (opts.dataCoding !== undefined) return planFixed(text, opts.dataCoding, opts.nationalLanguage, opts);
  splitModeOf(opts); // a bad mode is named before anything is chosen
  const choice = chooseEncoding(text, opts);
  const plan: Plan = planFixed(text, choice.dataCoding, choice.nationalLanguage, opts);
  plan.choice = choice;
  return plan;
}
