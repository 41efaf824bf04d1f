// The kinds of config field. A field reads a value (or records an error naming the field and the value), carries
// its default and its documentation, and describes itself as JSON Schema; sections and lists are fields too. The
// tables in schema.ts are written with these, and everything else — key sets, defaults, types checked at compile
// time, error messages, the JSON Schema shipped with the package — derives from those tables.
import { type Delay, delayError } from './delay.js';
import { regexError } from './pattern.js';

export type JsonSchema = Record<string, unknown>;

export interface Field<T> {
  readonly doc: string;
  readonly default?: T;
  /** missing is an error (`… is required`) */
  readonly required?: boolean;
  /** the value, or undefined after pushing an error naming path and value */
  read(v: unknown, path: string, errors: string[]): T | undefined;
  schema(): JsonSchema;
}

export const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function field<T>(doc: string, schema: JsonSchema, read: Field<T>['read']): Field<T> {
  return { doc, read, schema: () => ({ description: doc, ...schema }) };
}

/** The same field with a default (filled in where its section is filled, and shown in the JSON Schema). */
export function withDefault<T>(f: Field<T>, value: T): Field<T> {
  return { ...f, default: value, schema: () => ({ ...f.schema(), default: value }) };
}

export function required<T>(f: Field<T>): Field<T> {
  return { ...f, required: true };
}

export function int(min: number, max: number, doc: string): Field<number> {
  return field(doc, { type: 'integer', minimum: min, maximum: max }, (v, path, errors) => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    errors.push(`${path}: ${show(v)} is not an integer in ${min}..${max}`);
    return undefined;
  });
}

export function fraction(doc: string): Field<number> {
  return field(doc, { type: 'number', minimum: 0, maximum: 1 }, (v, path, errors) => {
    if (typeof v === 'number' && v >= 0 && v <= 1) return v;
    errors.push(`${path}: ${show(v)} is not a fraction in 0..1`);
    return undefined;
  });
}

/** A string, optionally of a bounded length. */
export function str(doc: string, length?: { min: number; max: number }): Field<string> {
  const schema: JsonSchema = length
    ? { type: 'string', minLength: length.min, maxLength: length.max }
    : { type: 'string' };
  return field(doc, schema, (v, path, errors) => {
    if (typeof v === 'string' && (!length || (v.length >= length.min && v.length <= length.max))) return v;
    errors.push(
      length
        ? `${path}: ${show(v)} must be a string of ${length.min}..${length.max} characters`
        : `${path}: ${show(v)} is not a string`,
    );
    return undefined;
  });
}

/** One of a fixed set of values; `aliases` maps other spellings (compared in upper case) to one of them. */
export function oneOf<const T extends string | number | boolean>(
  values: readonly T[],
  doc: string,
  aliases?: Readonly<Record<string, T>>,
): Field<T> {
  const names = aliases ? [...values, ...Object.keys(aliases)] : values;
  return field(doc, { enum: names }, (v, path, errors) => {
    const s = aliases && typeof v === 'string' ? v.toUpperCase() : v;
    const name = aliases && typeof s === 'string' ? (aliases[s] ?? s) : s;
    if (values.includes(name as T)) return name as T;
    errors.push(`${path}: ${show(v)} is not one of ${values.map(show).join(', ')}`);
    return undefined;
  });
}

const MS_VALUE = { type: 'number', minimum: 0 };
/** an object of exactly one key */
const only = (key: string, value: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: { [key]: value },
  required: [key],
  additionalProperties: false,
});
const DELAY_SCHEMA: JsonSchema = {
  oneOf: [
    MS_VALUE,
    only('fixed', MS_VALUE),
    only('uniform', { type: 'array', items: MS_VALUE, minItems: 2, maxItems: 2 }),
    only('exponential', MS_VALUE),
    only('normal', { type: 'object', properties: { mean: MS_VALUE, stddev: MS_VALUE }, required: ['mean', 'stddev'] }),
  ],
};

/** A delay in ms: a number or a distribution (scenario/random.ts). */
export function delay(doc: string): Field<Delay> {
  return field(doc, DELAY_SCHEMA, (v, path, errors) => {
    const e = delayError(path, v);
    if (e === null) return v as Delay;
    errors.push(e);
    return undefined;
  });
}

/** A regular expression given as its source text (no slashes), in RE2 syntax (pattern.ts). */
export function regex(doc: string): Field<string> {
  return field(doc, { type: 'string', format: 'regex' }, (v, path, errors) => {
    if (typeof v !== 'string') {
      errors.push(`${path}: ${show(v)} is not a string`);
      return undefined;
    }
    const e = regexError(v);
    if (e === null) return v;
    errors.push(`${path}: ${show(v)} is not a valid regex: ${e}`);
    return undefined;
  });
}

/** A string that is a literal, or a regex when written '/…/'. */
export function stringOrRegex(doc: string): Field<string> {
  return field(doc, { type: 'string' }, (v, path, errors) => {
    if (typeof v !== 'string') {
      errors.push(`${path}: ${show(v)} is not a string`);
      return undefined;
    }
    const e = isSlashRegex(v) ? regexError(v.slice(1, -1)) : null;
    if (e === null) return v;
    errors.push(`${path}: ${show(v)} is not a valid regex: ${e}`);
    return undefined;
  });
}

export const isSlashRegex = (p: string): boolean => p.length > 1 && p.startsWith('/') && p.endsWith('/');

/** A list of address patterns: exact, prefix ending in '*', or /regex/. */
export function patterns(doc: string): Field<string[]> {
  return field(doc, { type: 'array', items: { type: 'string' } }, (v, path, errors) => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      errors.push(`${path}: ${show(v)} is not a list of strings`);
      return undefined;
    }
    let ok = true;
    for (const [i, p] of (v as string[]).entries()) {
      const e = isSlashRegex(p) ? regexError(p.slice(1, -1)) : null;
      if (e === null) continue;
      errors.push(`${path}[${i}]: ${show(p)} is not a valid regex: ${e}`);
      ok = false;
    }
    return ok ? (v as string[]) : undefined;
  });
}

/** A non-empty list of values out of a fixed set. */
export function setOf<const T extends string>(values: readonly T[], doc: string): Field<T[]> {
  return field(doc, { type: 'array', items: { enum: values }, minItems: 1, uniqueItems: true }, (v, path, errors) => {
    if (Array.isArray(v) && v.length > 0 && v.every((x) => values.includes(x as T))) return v as T[];
    errors.push(`${path}: ${show(v)} must be a non-empty list of ${values.join(', ')}`);
    return undefined;
  });
}

/** A field that takes the first of several forms that fits (the error names them all). */
export function either<T>(
  doc: string,
  forms: ReadonlyArray<{ test(v: unknown): boolean; value(v: unknown): T; schema: JsonSchema }>,
  expected: string,
): Field<T> {
  return field(doc, { oneOf: forms.map((f) => f.schema) }, (v, path, errors) => {
    const form = forms.find((f) => f.test(v));
    if (form) return form.value(v);
    errors.push(`${path}: ${show(v)} is not ${expected}`);
    return undefined;
  });
}

export type Fields = Record<string, Field<unknown>>;
/** A section's fields, typed by the interface it fills: the compiler demands a field for every key. */
export type FieldsOf<T> = { [K in keyof T]-?: Field<Exclude<T[K], undefined>> };

export interface SectionOptions {
  /** fill missing keys from the fields' defaults (a top-level config is left partial: files and options are merged) */
  fill?: boolean;
  /** what an unknown key is called in the error ('unknown account setting') */
  unknown?: string;
}

/** An object of named fields: unknown keys refused (with the nearest known key), each field read, defaults filled. */
export function section<T>(fields: FieldsOf<T>, doc: string, opts: SectionOptions = {}): Field<T> {
  const table = fields as unknown as Fields;
  const keys = Object.keys(table);
  const read = (v: unknown, path: string, errors: string[]): T | undefined => {
    const at = (k: string) => (path ? `${path}.${k}` : k);
    if (!isObj(v)) {
      errors.push(`${path}: ${show(v)} is not an object`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (Object.hasOwn(table, k)) continue;
      const near = nearest(k, keys);
      errors.push(
        `${at(k)}: ${opts.unknown ?? 'unknown setting'} (value ${show(v[k])})${near ? `; did you mean ${near}?` : ''}`,
      );
    }
    const out: Obj = {};
    for (const k of keys) {
      const f = table[k];
      if (v[k] === undefined) {
        if (f.required) errors.push(`${at(k)}: ${show(v[k])} is required`);
        else if (opts.fill && f.default !== undefined) out[k] = structuredClone(f.default);
        continue;
      }
      const value = f.read(v[k], at(k), errors);
      if (value !== undefined) out[k] = value;
    }
    return out as T;
  };
  const schema = (): JsonSchema => ({
    description: doc,
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(keys.map((k) => [k, table[k].schema()])),
    ...(keys.some((k) => table[k].required) ? { required: keys.filter((k) => table[k].required) } : {}),
  });
  return { doc, read, schema };
}

/** The defaults of a section's fields, as a fresh object. */
export function defaultsOf<T>(fields: FieldsOf<T>): Partial<T> {
  const out: Obj = {};
  for (const [k, f] of Object.entries(fields as unknown as Fields))
    if (f.default !== undefined) out[k] = structuredClone(f.default);
  return out as Partial<T>;
}

/** A list of items of one field; `check` sees the read items (duplicates, say). */
export function list<T>(
  item: Field<T>,
  doc: string,
  check?: (items: T[], path: string, errors: string[]) => void,
): Field<T[]> {
  return field(doc, { type: 'array', items: item.schema() }, (v, path, errors) => {
    if (!Array.isArray(v)) {
      errors.push(`${path}: ${show(v)} is not a list`);
      return undefined;
    }
    const items: T[] = [];
    for (const [i, x] of v.entries()) {
      const r = item.read(x, `${path}[${i}]`, errors);
      if (r !== undefined) items.push(r);
    }
    check?.(items, path, errors);
    return items;
  });
}

/** The known key closest to a misspelt one (at most a third of its letters off), if any. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
