// The parameters of one SQL statement, read from its text the way SQLite numbers them, so the sql.js driver binds
// and checks them as better-sqlite3 does (too few / too many positional values, a missing named value are errors,
// not a silent NULL). Also tells whether the text holds more than one statement (sql.js would ignore the rest).
//
// SQLite's numbering: `?` takes the next index (one above the highest so far), `?NNN` takes NNN, a named parameter
// (`:name`, `@name`, `$name`) takes the next index at its first occurrence and the same one after. Strings ('…'),
// quoted identifiers ("…", `…`, […]) and comments (-- …, /* … */) hold no parameter.

export interface SqlParamLayout {
  /** indexes (1-based) filled by positional values, in the order the values are given */
  positional: number[];
  /** named parameters: their index and their name without the prefix (`:a` and `@a` are two parameters, both fed by key a) */
  named: Array<{ index: number; name: string }>;
  /** the highest index: the number of values SQLite binds */
  count: number;
  /** there is SQL after the first statement's `;` (comments and blanks aside) */
  trailing: boolean;
  /** the text holds no statement at all */
  empty: boolean;
}

const isNameChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;

export function sqlParamLayout(sql: string): SqlParamLayout {
  const positional: number[] = [];
  const named: Array<{ index: number; name: string }> = [];
  const written = new Set<string>();
  let max = 0;
  let tokens = 0;
  let afterEnd = false;
  let trailing = false;
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    // blanks and comments
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) {
      i++;
      continue;
    }
    if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 59 /* ; */) {
      if (tokens) afterEnd = true;
      i++;
      continue;
    }
    if (afterEnd) {
      trailing = true;
      break;
    }
    tokens++;
    // quoted text: strings and identifiers ('' and "" inside are the quote doubled: the scan simply goes on)
    if (c === 39 || c === 34 || c === 96 || c === 91) {
      const close = c === 91 ? ']' : sql[i];
      const end = sql.indexOf(close, i + 1);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c === 63 /* ? */) {
      let j = i + 1;
      while (j < n && sql.charCodeAt(j) >= 48 && sql.charCodeAt(j) <= 57) j++;
      if (j > i + 1) {
        const k = Number(sql.slice(i + 1, j));
        if (k > max) max = k;
        positional.push(k);
      } else positional.push(++max);
      i = j;
      continue;
    }
    if ((c === 58 || c === 64 || c === 36) && i + 1 < n && isNameChar(sql.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < n && isNameChar(sql.charCodeAt(j))) j++;
      const w = sql.slice(i, j);
      if (!written.has(w)) {
        written.add(w);
        named.push({ index: ++max, name: w.slice(1) });
      }
      i = j;
      continue;
    }
    // a word or an operator: no parameter in it (a name character run is skipped whole, so `a:b` never starts one)
    if (isNameChar(c)) {
      while (i < n && isNameChar(sql.charCodeAt(i))) i++;
    } else i++;
  }
  // `?NNN` used twice is one parameter filled once
  const seen = new Set<number>();
  const unique = positional.filter((k) => {
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { positional: unique, named, count: max, trailing, empty: tokens === 0 };
}
