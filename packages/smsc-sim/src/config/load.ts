// Reading a config: from a YAML or JSON file or from the programmatic API, validated against the tables in
// schema.ts (every error names the field and the value), and merged over the defaults.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defaultsOf, list, section, show } from './fields.js';
import { RULE, TOP_FIELDS } from './schema.js';
import { ConfigError, type Rule, type SimConfig } from './types.js';

const TOP = section(TOP_FIELDS, 'smsc-sim configuration');
const RULES = list(RULE, 'rules');

export function defaultConfig(): SimConfig {
  return defaultsOf(TOP_FIELDS) as SimConfig;
}

/** Reads a YAML (.yaml/.yml) or JSON file and validates it; throws ConfigError naming the field and value. */
export function loadConfigFile(path: string): Partial<SimConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  const json = extname(path).toLowerCase() === '.json';
  try {
    raw = json ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(`config file ${path}: not valid ${json ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  return validateConfig(raw ?? {}, path);
}

/** Validates a parsed config object (from a file or from the programmatic API): only the keys it has. */
export function validateConfig(raw: unknown, where = 'config'): Partial<SimConfig> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${where}: expected an object, got ${show(raw)}`);
  const errors: string[] = [];
  const out = TOP.read(raw, '', errors) as Partial<SimConfig>;
  if (errors.length)
    throw new ConfigError(`${where}: ${errors.length === 1 ? errors[0] : '\n  ' + errors.join('\n  ')}`);
  return out;
}

/** Validates a rule list (config file, PUT /api/rules, setRules); returns the rules or the errors. */
export function validateRules(raw: unknown, field = 'rules'): Rule[] | { errors: string[] } {
  const errors: string[] = [];
  const rules = RULES.read(raw, field, errors);
  return errors.length || rules === undefined ? { errors } : rules;
}

/** Merges validated partial configs over the defaults (later wins). */
export function mergeConfig(...parts: Partial<SimConfig>[]): SimConfig {
  const c = defaultConfig();
  for (const p of parts)
    for (const [k, v] of Object.entries(p)) if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  return c;
}

/** The JSON Schema of the config file, from the tables (written to config.schema.json; a test keeps the two equal). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'smsc-sim config',
    ...TOP.schema(),
  };
}
