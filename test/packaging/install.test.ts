// The packages as a user gets them: packed into tarballs, installed with plain npm into a new project,
// type-checked there with skipLibCheck off, the README's embed-in-a-test example run with vitest, each bin run.
// Slow (npm install from the registry): one test file, one install, generous timeouts.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const node = process.execPath;
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const vitest = join(repo, 'node_modules/vitest/vitest.mjs');
const npmCli = process.env.npm_execpath?.endsWith('npm-cli.js') ? process.env.npm_execpath : undefined;

let work = '';
let project = '';

function run(cmd: string, args: string[], cwd: string, timeoutMs = 300_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } });
  if (r.error) throw r.error;
  return r;
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}
function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  return npmCli ? run(node, [npmCli, ...args], cwd, 900_000) : run('npm', args, cwd, 900_000);
}

/** The README's "Embed the simulator in a test" example, taken from the README itself. */
function readmeEmbedExample(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const at = readme.indexOf('## Embed the simulator in a test');
  expect(at, 'README has an "Embed the simulator in a test" section').toBeGreaterThan(0);
  const m = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(m, 'that section has a ts code block').not.toBeNull();
  return m![1]!;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'smppkit-install-'));
  const packs = join(work, 'packs');
  ok(run(node, [join(repo, 'scripts/pack.mjs'), packs], repo), 'npm run pack');
  const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f));
  expect(tarballs).toHaveLength(4);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  // --omit=optional: the native SQLite binding is optional; everything but a file store must work without it.
  ok(npm(['install', '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, '@types/node@^20'], project),
    'npm install of the tarballs');
}, 1_200_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installed from the packed tarballs with plain npm', () => {
  test('the public API type-checks in a consumer with skipLibCheck false', () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        skipLibCheck: false, noEmit: true, types: ['node'] },
      include: ['consumer.ts'],
    }));
    writeFileSync(join(project, 'consumer.ts'), [
      "import { encodePdu, decodePdu, CommandStatus, type PduOf } from '@smppkit/core';",
      "import { countMessage } from '@smppkit/encoding';",
      "import { startSmsc, type SmscHandle } from '@smppkit/smsc-sim';",
      "import { connect, type Client } from '@smppkit/esme-client';",
      "const pdu: PduOf<'enquire_link'> = { command: 'enquire_link', command_status: 0, sequence_number: 1 };",
      'const back = decodePdu(encodePdu(pdu));',
      "const n: number = countMessage('hello').parts;",
      'export async function main(): Promise<void> {',
      "  const smsc: SmscHandle = await startSmsc({ port: 0, store: 'memory' });",
      '  const client: Client = await connect(`smpp://a:b@127.0.0.1:${smsc.port}`);',
      '  await client.close();',
      '  await smsc.close();',
      '  console.log(back.command, n, CommandStatus.ESME_ROK);',
      '}',
      '',
    ].join('\n'));
    ok(run(node, [tsc, '-p', join(project, 'tsconfig.json')], project), 'tsc in the consumer');
  });

  test("the README's embed-in-a-test example passes with vitest in the consumer", () => {
    writeFileSync(join(project, 'embed.test.ts'), readmeEmbedExample());
    const r = run(node, [vitest, 'run', '--root', project, 'embed.test.ts'], project, 120_000);
    const out = ok(r, 'vitest in the consumer');
    expect(out + r.stderr).toMatch(/1 passed/);
    // Embedded, the simulator is quiet unless asked: no log line of its own in the runner's output.
    expect(out + r.stderr).not.toMatch(/"level":/);
  });

  test('each bin answers --version with its package version', () => {
    const bins: Array<[string, string]> = [['esme', 'esme-client'], ['smsc-sim', 'smsc-sim'], ['smpp-text', 'encoding']];
    for (const [bin, pkg] of bins) {
      const version = JSON.parse(readFileSync(join(repo, 'packages', pkg, 'package.json'), 'utf8')).version as string;
      const out = ok(run(join(project, 'node_modules/.bin', bin), ['--version'], project, 30_000), `${bin} --version`);
      expect(out.trim()).toBe(version);
    }
  });

  test('npx smsc-sim start serves SMPP from the installed package', async () => {
    const child = spawn(join(project, 'node_modules/.bin/smsc-sim'), ['start', '--memory', '--port', '0', '--no-http'],
      { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const port = await new Promise<number>((resolvePort, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line within 20 s:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /smpp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) { clearTimeout(t); resolvePort(Number(m[1])); }
      });
      child.on('exit', (code) => { clearTimeout(t); reject(new Error(`exited ${code} before listening:\n${out}`)); });
    });
    expect(port).toBeGreaterThan(0);
    const esme = join(project, 'node_modules/.bin/esme');
    const sent = spawnSync(esme, ['send', '--url', `smpp://u:p@127.0.0.1:${port}`, '--from', 'ACME', '--to', '4790000001',
      '--text', 'hello from the tarball', '--json'], { cwd: project, encoding: 'utf8', timeout: 30_000 });
    expect(sent.status, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout).ok).toBe(true);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
