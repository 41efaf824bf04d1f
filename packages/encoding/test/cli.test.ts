import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b', 'packages/encoding'], { cwd: root });
}, 60_000);

describe('smpp-text CLI', () => {
  it('shows the encoding, why, the counts and the bytes of a GSM text', async () => {
    const r = await run(['Hello', '€uro', '[test]']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('GSM 7-bit');
    expect(r.stdout).toContain('data_coding 0x00');
    expect(r.stdout).toMatch(/why: +every character is in the GSM 7-bit default alphabet/);
    expect(r.stdout).toContain('20 septets');
    expect(r.stdout).toContain('48 65 6c 6c 6f 20 1b 65 75 72 6f 20 1b 3c 74 65 73 74 1b 3e');
  });

  it('--json gives every part with its UDH and bytes', async () => {
    const r = await run(['--json', '--reference', '0x42', 'a'.repeat(161)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ dataCoding: 0, partCount: 2, units: 161, perPart: 153, udhi: true, reference: 0x42 });
    expect(out.parts.map((p: { udh: string }) => p.udh)).toEqual(['050003420201', '050003420202']);
    expect(out.parts[1].shortMessage).toBe('050003420202' + '61'.repeat(8));
  });

  it('uses a national table when allowed, and shows its UDH', async () => {
    const r = await run(['--national', 'turkish', '--json', 'Işık']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.nationalLanguage).toEqual({ locking: 1 });
    expect(out.parts[0].udh).toBe('03250101');
    expect(out.reason).toMatch(/Turkish/);
  });

  it('explains UCS-2 for an emoji, in SAR mode with TLV values', async () => {
    const r = await run(['--mode', 'sar', '--reference', '7', `${'x'.repeat(70)}😀`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("U+1F600 '😀' at position 70 is not in the GSM 7-bit default alphabet");
    expect(r.stdout).toContain('sar_msg_ref_num 7 sar_total_segments 2 sar_segment_seqnum 2');
  });

  it('reads the text from stdin', async () => {
    const r = await run(['--stdin', '--json'], 'from stdin\n');
    expect(JSON.parse(r.stdout).text).toBe('from stdin');
  });

  it('decodes bytes with a UDH', async () => {
    const r = await run(['--decode', '06 08 04 12 34 02 01 d8 3d de 00', '--udhi', '-c', '8']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"referenceBits":16,"reference":4660,"total":2,"sequence":1');
    expect(r.stdout).toContain('text:      "😀"');
  });

  it('fails with exit 1 naming the character a forced encoding cannot carry', async () => {
    const r = await run(['-c', '0', 'smile 😀']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("character U+1F600 '😀' at position 6 cannot be encoded in GSM 7-bit");
    expect(r.stdout).toBe('');
    const replaced = await run(['-c', '0', '--replacement', '_', '--json', 'smile 😀']);
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout).parts[0].text).toBe('smile _');
    const question = await run(['-c', '0', '--replace', '--json', 'smile 😀']);
    expect(JSON.parse(question.stdout).parts[0].text).toBe('smile ?');
    const badReplacement = await run(['-c', '0', '--replacement', '😀', 'smile 😀']);
    expect(badReplacement.code).toBe(1);
    expect(badReplacement.stderr).toMatch(/replacement '😀' is not encodable in GSM 7-bit/);
  });

  it('fails with exit 2 and a clear message on bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['--bogus', 'x'], /unknown option '--bogus'/],
      [[], /no text given/],
      [['--mode', 'udh9', 'x'], /--mode must be udh8, udh16, sar or payload, got 'udh9'/],
      [['-c', '300', 'x'], /--data-coding must be an integer 0\.\.255, got '300'/],
      [['--decode', 'abc'], /even number of hex digits/],
      [['--national', 'klingon', 'x'], /unknown national language 'klingon'/],
      [['--reference'], /--reference needs a value/],
    ];
    for (const [args, msg] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const reserved = await run(['-c', '11', 'x']);
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toMatch(/data_coding 0x0B is reserved/);
  });

  it('prints help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: smpp-text');
  });
});
