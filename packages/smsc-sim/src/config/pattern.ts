// Regular expressions written in the config (rule match.text '/…/', match.destinationRegex, account address
// patterns) run on RE2 (re2js): matching time is linear in the text, so no pattern and no message can stall the
// process the way a backtracking engine does on /^(a+)+$/. The price is RE2's syntax: no backreferences, no
// lookahead or lookbehind; such a pattern is refused when the config is read, with the reason.
import { RE2JS } from 're2js';

export interface Pattern {
  /** true when the pattern matches somewhere in the text (as RegExp.prototype.test without flags) */
  test(text: string): boolean;
}

/** Compiles a pattern (its source text, no slashes); throws with RE2's reason when it cannot. */
export function compileRegex(source: string): Pattern {
  const re = RE2JS.compile(source);
  return { test: (text) => re.test(text) };
}

/** Why the pattern cannot be used, or null when it can. */
export function regexError(source: string): string | null {
  try {
    RE2JS.compile(source);
    return null;
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return `${reason} (patterns run on RE2, linear time: no backreferences, no lookahead or lookbehind)`;
  }
}
