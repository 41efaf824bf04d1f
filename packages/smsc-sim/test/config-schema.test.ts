// The config file's JSON Schema is generated from the config tables (scripts/write-config-schema.ts), shipped in
// the package, and referenced by the sample config; unknown keys are refused with the nearest known one.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SCHEMA_FILE, schemaText } from '../scripts/write-config-schema.js';
import { defaultConfig, validateConfig } from '../src/config/index.js';

const SAMPLE = fileURLToPath(new URL('../../../fixtures/configs/smsc-sim.yaml', import.meta.url));
type Schema = { properties?: Record<string, Schema>; items?: Schema; default?: unknown; oneOf?: Schema[] };

/** Every key of a value that the schema does not know, as paths. */
function unknownKeys(value: unknown, schema: Schema, path = ''): string[] {
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => unknownKeys(v, schema.items!, `${path}[${i}]`)) : [];
  if (value === null || typeof value !== 'object' || !schema.properties) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    schema.properties![k] ? unknownKeys(v, schema.properties![k], path ? `${path}.${k}` : k) : [`${path}.${k}`],
  );
}

describe('config JSON Schema', () => {
  it('is the committed config.schema.json (regenerate with scripts/write-config-schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('is shipped in the package and referenced by the sample config, which uses only keys it knows', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(pkg.files).toContain('config.schema.json');
    const text = readFileSync(SAMPLE, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../packages/smsc-sim/config.schema.json');
    const schema = JSON.parse(schemaText()) as Schema;
    expect(unknownKeys(parseYaml(text), schema)).toEqual([]);
  });

  it('gives the same defaults as the config itself', () => {
    const schema = JSON.parse(schemaText()) as Schema;
    const d = defaultConfig() as unknown as Record<string, unknown>;
    for (const [k, s] of Object.entries(schema.properties!))
      if (s.default !== undefined) expect(d[k]).toEqual(s.default);
    expect(schema.properties!.accounts.items!.properties!.window.default).toBe(1000);
  });
});

describe('unknown config keys', () => {
  it('names the key, its value and the nearest known key', () => {
    expect(() => validateConfig({ accounts: [{ systemId: 'a', pasword: 'x' }] })).toThrow(
      /accounts\[0\]\.pasword: unknown account setting \(value "x"\); did you mean password\?/,
    );
    expect(() => validateConfig({ deliveryWindw: 5 })).toThrow(
      /deliveryWindw: unknown setting \(value 5\); did you mean deliveryWindow\?/,
    );
    expect(() => validateConfig({ faults: { dropFractoin: 1 } })).toThrow(
      /faults\.dropFractoin: unknown fault .*did you mean dropFraction\?/,
    );
    expect(() => validateConfig({ zzzz: 1 })).toThrow(/zzzz: unknown setting \(value 1\)$/);
  });
});
