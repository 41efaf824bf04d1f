// The packages as a user gets them: packed into tarballs, installed with plain npm into a new project,
// type-checked there with skipLibCheck off, the README's embed-in-a-test example run with vitest, each bin run.
// Slow (npm install from the registry): one test file, one install, generous timeouts.
import { spawn } from 'node:child_process';
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

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking the test worker (a long spawnSync starves vitest's RPC). */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${cmd} ${args.join(' ')}: no end within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(t);
      fail(e);
    });
    child.on('close', (status) => {
      clearTimeout(t);
      done({ status, stdout, stderr });
    });
  });
}
async function ok(ran: Promise<Ran>, what: string): Promise<string> {
  const r = await ran;
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}
function npm(args: string[], cwd: string): Promise<Ran> {
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

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'smppkit-install-'));
  const packs = join(work, 'packs');
  await ok(run(node, [join(repo, 'scripts/pack.mjs'), packs], repo), 'npm run pack');
  const tarballs = readdirSync(packs)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => join(packs, f));
  expect(tarballs).toHaveLength(4);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  );
  // --omit=optional: the native SQLite binding is optional; everything but a file store must work without it.
  await ok(
    npm(
      ['install', '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, '@types/node@^20'],
      project,
    ),
    'npm install of the tarballs',
  );
}, 1_200_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installed from the packed tarballs with plain npm', { timeout: 180_000 }, () => {
  test('the public API type-checks in a consumer with skipLibCheck false', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        include: ['consumer.ts'],
      }),
    );
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { encodePdu, decodePdu, CommandStatus, type PduOf } from '@smppkit/core';",
        "import { countMessage } from '@smppkit/encoding';",
        "import { startSmsc, type SmscHandle } from '@smppkit/smsc-sim';",
        "import { connect, type Client } from '@smppkit/esme-client';",
        "const pdu: PduOf<'enquire_link'> = { command: 'enquire_link', command_status: 0, sequence_number: 1 };",
        'const back = decodePdu(encodePdu(pdu));',
        "const n: number = countMessage('hello').parts;",
        'export async function main(): Promise<void> {',
        "  const smsc: SmscHandle = await startSmsc({ port: 0, store: 'memory' });",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the consumer's source, with a template literal of its own
        '  const client: Client = await connect(`smpp://a:b@127.0.0.1:${smsc.port}`);',
        '  await client.close();',
        '  await smsc.close();',
        '  console.log(back.command, n, CommandStatus.ESME_ROK);',
        '}',
        '',
      ].join('\n'),
    );
    await ok(run(node, [tsc, '-p', join(project, 'tsconfig.json')], project), 'tsc in the consumer');
  });

  test("the README's embed-in-a-test example passes with vitest in the consumer", async () => {
    writeFileSync(join(project, 'embed.test.ts'), readmeEmbedExample());
    const r = await run(node, [vitest, 'run', '--root', project, 'embed.test.ts'], project, 120_000);
    const out = await ok(Promise.resolve(r), 'vitest in the consumer');
    expect(out + r.stderr).toMatch(/1 passed/);
    // Embedded, the simulator is quiet unless asked: no log line of its own in the runner's output.
    expect(out + r.stderr).not.toMatch(/"level":/);
  });

  test('each bin answers --version with its package version', async () => {
    const bins: Array<[string, string]> = [
      ['esme', 'esme-client'],
      ['smsc-sim', 'smsc-sim'],
      ['smpp-text', 'encoding'],
    ];
    for (const [bin, pkg] of bins) {
      const version = JSON.parse(readFileSync(join(repo, 'packages', pkg, 'package.json'), 'utf8')).version as string;
      const out = await ok(
        run(join(project, 'node_modules/.bin', bin), ['--version'], project, 30_000),
        `${bin} --version`,
      );
      expect(out.trim()).toBe(version);
    }
  });

  test('the installed simulator serves its web console at / (built assets in the package, uPlot included)', async () => {
    const child = spawn(
      join(project, 'node_modules/.bin/smsc-sim'),
      ['start', '--memory', '--port', '0', '--http-port', '0'],
      { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const http = await new Promise<number>((resolvePort, reject) => {
        const t = setTimeout(() => reject(new Error(`no admin API line within 20 s:\n${out}`)), 20_000);
        const seen = (d: Buffer) => {
          out += d.toString();
          const m = /admin API: http:\/\/[\d.]+:(\d+)/.exec(out);
          if (m) {
            clearTimeout(t);
            resolvePort(Number(m[1]));
          }
        };
        child.stdout.on('data', seen);
        child.stderr.on('data', seen);
        child.on('exit', (code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
      });
      const page = await fetch(`http://127.0.0.1:${http}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<script type="module" src="/console/main.js">');
      for (const asset of ['/console/main.js', '/console/styles.css', '/console/vendor/uPlot.iife.min.js']) {
        const r = await fetch(`http://127.0.0.1:${http}${asset}`);
        expect(r.status, asset).toBe(200);
        expect((await r.text()).length, asset).toBeGreaterThan(100);
      }
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  }, 60_000);

  test('npx smsc-sim start serves SMPP from the installed package', async () => {
    const child = spawn(
      join(project, 'node_modules/.bin/smsc-sim'),
      ['start', '--memory', '--port', '0', '--no-http'],
      {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const port = await new Promise<number>((resolvePort, reject) => {
      const t = setTimeout(() => reject(new Error(`no listening line within 20 s:\n${out}`)), 20_000);
      // The banner may come on either stream: look at everything seen so far after each chunk.
      const seen = (d: Buffer) => {
        out += d.toString();
        const m = /smpp:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolvePort(Number(m[1]));
        }
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`exited ${code} before listening:\n${out}`));
      });
    });
    expect(port).toBeGreaterThan(0);
    const esme = join(project, 'node_modules/.bin/esme');
    const sent = await run(
      esme,
      [
        'send',
        '--url',
        `smpp://u:p@127.0.0.1:${port}`,
        '--from',
        'ACME',
        '--to',
        '4790000001',
        '--text',
        'hello from the tarball',
        '--json',
      ],
      project,
      30_000,
    );
    expect(sent.status, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout).ok).toBe(true);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
