// The scenario engine: decides each submitted message's fate from the rules. The first rule whose match holds
// (and whose probability roll succeeds) decides; with none, the message is accepted and DELIVERED after the default
// delay. Seeded, so the same traffic under the same seed gets the same decisions. Patterns run on RE2
// (config/pattern.ts), so matching a text costs time linear in its length whatever the pattern.
import { compileRegex } from '../config/pattern.js';
import type { Rule, StateName } from '../config/types.js';
import { type Delay, type Random, sampleDelay, seededRandom } from './random.js';

export interface ScenarioInput {
  systemId: string;
  source: string;
  destination: string;
  text: string;
}

export interface Decision {
  /** command_status of the submit response (0 = accepted) */
  status: number;
  responseDelayMs: number;
  /** state the message reaches, err code, and after how long */
  state: StateName;
  err: number;
  delayMs: number;
  /** the deciding rule's name or index, null for the default */
  rule: string | null;
}

interface CompiledRule {
  rule: Rule;
  label: string;
  test: (m: ScenarioInput) => boolean;
}

function compile(rule: Rule, index: number): CompiledRule {
  const m = rule.match ?? {};
  const tests: Array<(x: ScenarioInput) => boolean> = [];
  if (m.systemId !== undefined) {
    const v = m.systemId;
    tests.push((x) => x.systemId === v);
  }
  if (m.destination !== undefined) {
    const v = m.destination;
    tests.push((x) => x.destination.startsWith(v));
  }
  if (m.destinationRegex !== undefined) {
    const re = compileRegex(m.destinationRegex);
    tests.push((x) => re.test(x.destination));
  }
  if (m.source !== undefined) {
    const v = m.source;
    tests.push((x) => x.source === v);
  }
  if (m.text !== undefined) {
    const t = m.text;
    if (t.length > 1 && t.startsWith('/') && t.endsWith('/')) {
      const re = compileRegex(t.slice(1, -1));
      tests.push((x) => re.test(x.text));
    } else tests.push((x) => x.text.includes(t));
  }
  return { rule, label: rule.name ?? `rules[${index}]`, test: (x) => tests.every((f) => f(x)) };
}

export class ScenarioEngine {
  private compiled: CompiledRule[] = [];
  /** some rule matches on the text (so a submit's text must be decoded before the decision) */
  needsText = false;
  private rnd: Random;

  constructor(
    rules: Rule[],
    seed: number,
    private readonly defaultDelay: Delay,
  ) {
    this.rnd = seededRandom(seed);
    this.setRules(rules);
  }

  /** Rules must be validated (validateRules) before. */
  setRules(rules: Rule[]): void {
    this.compiled = rules.map(compile);
    this.needsText = rules.some((r) => r.match?.text !== undefined);
  }

  get rules(): Rule[] {
    return this.compiled.map((c) => c.rule);
  }

  /** A number in [0,1) from the seeded generator (fault injection draws from it too). */
  random(): number {
    return this.rnd();
  }

  decide(input: ScenarioInput): Decision {
    for (const c of this.compiled) {
      if (!c.test(input)) continue;
      if (c.rule.probability !== undefined && this.rnd() >= c.rule.probability) continue;
      const r = c.rule;
      return {
        status: r.response?.status ?? 0,
        responseDelayMs: sampleDelay(r.response?.delayMs, this.rnd),
        state: r.outcome?.state ?? 'DELIVERED',
        err: r.outcome?.err ?? 0,
        delayMs: sampleDelay(r.outcome?.delayMs ?? this.defaultDelay, this.rnd),
        rule: c.label,
      };
    }
    return {
      status: 0,
      responseDelayMs: 0,
      state: 'DELIVERED',
      err: 0,
      delayMs: sampleDelay(this.defaultDelay, this.rnd),
      rule: null,
    };
  }
}
