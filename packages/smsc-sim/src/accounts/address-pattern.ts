// Address patterns used by accounts (allowed sources, owned numbers): exact 'NNN', prefix 'NNN*', or '/regex/'
// (RE2 syntax, linear time: config/pattern.ts).
import { compileRegex } from '../config/pattern.js';

export type AddressMatcher = (addr: string) => boolean;

export function compilePattern(p: string): AddressMatcher {
  if (p.length > 1 && p.startsWith('/') && p.endsWith('/')) {
    const re = compileRegex(p.slice(1, -1));
    return (a) => re.test(a);
  }
  if (p.endsWith('*')) {
    const prefix = p.slice(0, -1);
    return (a) => a.startsWith(prefix);
  }
  return (a) => a === p;
}

/** Matches any of the patterns; an empty list matches nothing. */
export function compilePatterns(ps: readonly string[]): AddressMatcher {
  const ms = ps.map(compilePattern);
  return (a) => ms.some((m) => m(a));
}
