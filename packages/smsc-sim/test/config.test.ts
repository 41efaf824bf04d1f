import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, mergeConfig, validateConfig, validateRules } from '../src/config/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(name: string, text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'smsc-cfg-'));
  dirs.push(d);
  writeFileSync(join(d, name), text);
  return join(d, name);
}

describe('config', () => {
  it('loads the sample YAML config from fixtures', () => {
    const path = fileURLToPath(new URL('../../../fixtures/configs/smsc-sim.yaml', import.meta.url));
    const c = mergeConfig(loadConfigFile(path));
    expect(c.accounts.length).toBeGreaterThan(0);
    expect(c.accounts[0]).toMatchObject({ systemId: 'acme', password: 'secret1' });
    expect(c.rules.length).toBeGreaterThan(0);
  });

  it('loads JSON and fills defaults', () => {
    const path = file('c.json', JSON.stringify({ port: 3000, accounts: [{ systemId: 'a', password: 'p' }] }));
    const c = mergeConfig(loadConfigFile(path));
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.accounts[0]).toMatchObject({ bindTypes: ['transmitter', 'receiver', 'transceiver'], tps: 0 });
  });

  it('names the field and the value in every error', () => {
    expect(() => validateConfig({ port: 70000 })).toThrow(/port: 70000 is not an integer in 0\.\.65535/);
    expect(() => validateConfig({ deliveryWindow: 0 })).toThrow(/deliveryWindow: 0 is not an integer in 1\.\.10000/);
    expect(() => validateConfig({ accounts: [{ systemId: 'a', password: 'toolongpassword' }] })).toThrow(
      /accounts\[0\]\.password: "toolongpassword"/,
    );
    expect(() => validateConfig({ accounts: [{ systemId: 'a', password: 'p', bindTypes: ['tx'] }] })).toThrow(
      /accounts\[0\]\.bindTypes: \["tx"\]/,
    );
    expect(() => validateConfig({ prot: 1 })).toThrow(/prot: unknown setting/);
    expect(() => validateConfig({ rules: [{ outcome: { state: 'GONE' } }] })).toThrow(
      /rules\[0\]\.outcome\.state: "GONE"/,
    );
    expect(() => validateConfig({ rules: [{ outcome: { delayMs: { uniform: [5, 1] } } }] })).toThrow(
      /rules\[0\]\.outcome\.delayMs/,
    );
    expect(() => loadConfigFile(file('bad.yaml', 'port: [1,\n'))).toThrow(ConfigError);
  });

  it('accepts receipt-stat aliases in rules', () => {
    const r = validateRules([{ outcome: { state: 'UNDELIV', err: 5 } }]);
    expect(r).toEqual([{ outcome: { state: 'UNDELIVERABLE', err: 5 } }]);
  });
});

describe('command_status values', () => {
  it('take a number, hex or a name from core status table, in the config as in the API', () => {
    const c = validateConfig({
      faults: { errorStatus: 'ESME_RTHROTTLED' },
      rules: [{ response: { status: '0x45' } }, { response: { status: 'ESME_RMSGQFUL' } }, { response: { status: 8 } }],
    });
    expect(c.faults?.errorStatus).toBe(0x58);
    expect(c.rules?.map((r) => r.response?.status)).toEqual([0x45, 0x14, 8]);
    expect(() => validateConfig({ faults: { errorStatus: 'THROTTLED' } })).toThrow(
      /faults\.errorStatus: "THROTTLED" is not a command_status/,
    );
    expect(() => validateConfig({ faults: { errorStatus: '0x100000000' } })).toThrow(/is not a command_status/);
  });
});

describe('store setting', () => {
  it("takes a file store's settleBacklog (the type's), and refuses one that is not a whole number ≥ 1, naming store", () => {
    expect(validateConfig({ store: { path: 'x.db', settleBacklog: 500 } }).store).toEqual({
      path: 'x.db',
      settleBacklog: 500,
    });
    expect(validateConfig({ store: { path: 'x.db' } }).store).toEqual({ path: 'x.db' });
    for (const bad of [0, -1, 1.5, 'many'])
      expect(() => validateConfig({ store: { path: 'x.db', settleBacklog: bad } })).toThrow(
        /store: .* is not 'memory' or \{path, settleBacklog\?\}/,
      );
    expect(() => validateConfig({ store: { path: 'x.db', backlog: 5 } })).toThrow(/store: /);
  });
});
