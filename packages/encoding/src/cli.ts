#!/usr/bin/env node
/**
 * smpp-text: shows how a text travels over SMPP — the encoding chosen and why, the counts, and every part
 * with its UDH and bytes in hex — or decodes bytes a carrier reports as garbled.
 */
import { readFileSync } from 'node:fs';
import { countMessage } from './count.js';
import { describeDataCoding, type SmscDefault } from './data-coding.js';
import { EncodingError } from './errors.js';
import { languageIdByName, languageTables, nationalLanguageIds } from './gsm-tables.js';
import type { NationalLanguage } from './gsm7.js';
import type { SplitMode } from './plan.js';
import { type SplitOptions, splitMessage } from './split.js';
import { decodeText } from './text-codec.js';
import { parseUdh } from './udh.js';

const HELP = `Usage: smpp-text [options] <text…>
       smpp-text [options] --stdin
       smpp-text --decode <hex> [--udhi] [-c <data_coding>] [options]

Shows the encoding chosen for a text and why, its counts, and every part with its UDH and bytes in hex.

Options:
  -c, --data-coding <n>     force a data_coding (decimal or 0x..); default: the cheapest that carries the text
  -m, --mode <mode>         udh8 (default), udh16, sar or payload
      --packed              GSM 7-bit packed (default: unpacked, one septet per octet)
      --smsc-default <cs>   what data_coding 0 means: gsm (default), latin1, ascii
      --ia5 <meaning>       what data_coding 1 means: ascii (default) or gsm
      --national <list>     national languages the choice may use: ids or names (turkish,spanish,portuguese…) or all
      --locking <lang>      force a national locking-shift table (GSM 7-bit)
      --single <lang>       force a national single-shift table (GSM 7-bit)
      --allow-latin1        the choice may use Latin-1 (data_coding 3)
      --reference <n>       concatenation reference (default: allocated)
      --replace             replace characters the encoding cannot carry with '?' (default: fail naming them)
      --replacement <text>  replace them with this instead (implies --replace)
      --stdin               read the text from standard input
      --decode <hex>        decode these bytes instead (short_message as hex)
      --udhi                with --decode: the bytes start with a UDH (esm_class 0x40)
      --json                machine-readable output
  -V, --version             print the version
  -h, --help                this help
`;

class UsageError extends Error {}

interface Args {
  text?: string;
  decode?: string;
  udhi: boolean;
  json: boolean;
  stdin: boolean;
  opts: SplitOptions;
}

function parseInteger(name: string, v: string, max: number): number {
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : /^\d+$/.test(v) ? parseInt(v, 10) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new UsageError(`${name} must be an integer 0..${max}, got '${v}'`);
  return n;
}

function language(name: string, v: string): number {
  const id = /^\d+$/.test(v) ? Number(v) : languageIdByName(v);
  if (id === undefined || !languageTables(id) || id === 0) {
    const known = nationalLanguageIds()
      .map((i) => `${i} ${languageTables(i)!.name.toLowerCase()}`)
      .join(', ');
    throw new UsageError(`${name}: unknown national language '${v}' (known: ${known})`);
  }
  return id;
}

function parseArgs(argv: string[]): Args | 'help' | 'version' {
  const args: Args = { udhi: false, json: false, stdin: false, opts: {} };
  const words: string[] = [];
  const nl: NationalLanguage = {};
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    let inline: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '-h':
      case '--help':
        return 'help';
      case '-V':
      case '--version':
        return 'version';
      case '-c':
      case '--data-coding':
        args.opts.dataCoding = parseInteger('--data-coding', value(), 255);
        break;
      case '-m':
      case '--mode': {
        const m = value();
        if (!['udh8', 'udh16', 'sar', 'payload'].includes(m))
          throw new UsageError(`--mode must be udh8, udh16, sar or payload, got '${m}'`);
        args.opts.mode = m as SplitMode;
        break;
      }
      case '--packed':
        args.opts.gsmPacking = 'packed';
        break;
      case '--smsc-default': {
        const v = value();
        if (!['gsm', 'latin1', 'ascii'].includes(v))
          throw new UsageError(`--smsc-default must be gsm, latin1 or ascii, got '${v}'`);
        args.opts.smscDefault = v as SmscDefault;
        break;
      }
      case '--national': {
        const v = value();
        args.opts.nationalLanguages = v === 'all' ? 'all' : v.split(',').map((x) => language('--national', x.trim()));
        break;
      }
      case '--locking':
        nl.locking = language('--locking', value());
        break;
      case '--single':
        nl.single = language('--single', value());
        break;
      case '--ia5': {
        const v = value();
        if (v !== 'ascii' && v !== 'gsm') throw new UsageError(`--ia5 must be ascii or gsm, got '${v}'`);
        args.opts.ia5 = v;
        break;
      }
      case '--allow-latin1':
        args.opts.allowLatin1 = true;
        break;
      case '--reference':
        args.opts.reference = parseInteger('--reference', value(), 0xffff);
        break;
      case '--replace':
        args.opts.onUnencodable = 'replace';
        break;
      case '--replacement':
        args.opts.onUnencodable = 'replace';
        args.opts.replacement = value();
        break;
      case '--stdin':
        args.stdin = true;
        break;
      case '--decode':
        args.decode = value();
        break;
      case '--udhi':
        args.udhi = true;
        break;
      case '--json':
        args.json = true;
        break;
      default:
        if (a.startsWith('-') && a.length > 1) throw new UsageError(`unknown option '${a}' (see --help)`);
        words.push(a);
    }
  }
  if (nl.locking !== undefined || nl.single !== undefined) {
    args.opts.nationalLanguage = nl;
    if (args.opts.dataCoding === undefined) args.opts.dataCoding = 0;
  }
  if (args.decode !== undefined) {
    if (words.length > 0 || args.stdin) throw new UsageError('--decode takes bytes, not a text as well');
    return args;
  }
  if (args.stdin) {
    if (words.length > 0) throw new UsageError('give the text either as arguments or with --stdin, not both');
    args.text = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  } else {
    if (words.length === 0) throw new UsageError('no text given (see --help)');
    args.text = words.join(' ');
  }
  return args;
}

const hexBytes = (b: Uint8Array) =>
  Buffer.from(b)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
const dcHex = (dc: number) => `0x${dc.toString(16).toUpperCase().padStart(2, '0')}`;

function showText(text: string, opts: SplitOptions, json: boolean): string {
  const count = countMessage(text, opts);
  const split = splitMessage(text, opts);
  if (json) {
    const { parts: partCount, ...rest } = count;
    return JSON.stringify(
      {
        text,
        ...rest,
        partCount,
        udhi: split.udhi,
        reference: split.reference,
        parts: split.parts.map((p) => ({
          sequence: p.sequence,
          total: p.total,
          text: p.text,
          units: p.units,
          udh: p.udh?.toString('hex') ?? null,
          shortMessage: p.shortMessage.toString('hex'),
          ...(p.messagePayload ? { messagePayload: p.messagePayload.toString('hex') } : {}),
          ...(p.sar ? { sar: p.sar } : {}),
        })),
      },
      null,
      2,
    );
  }
  const unitName = count.unit === 'septet' ? 'septets' : count.unit === 'utf16' ? 'UTF-16 units' : 'octets';
  const lines = [
    `text:      ${JSON.stringify(text)} (${count.characters} characters)`,
    `encoding:  ${count.encoding}, data_coding ${dcHex(count.dataCoding)}${
      count.nationalLanguage ? `, national language ${describeNl(count.nationalLanguage)}` : ''
    }`,
  ];
  if (count.reason) lines.push(`why:       ${count.reason}`);
  lines.push(
    `size:      ${count.units} ${unitName}${count.unit === 'septet' ? ' (an extension character counts 2)' : ''}`,
  );
  lines.push(
    `parts:     ${count.parts}${count.mode === 'payload' ? ` message_payload (${count.segments} segment(s) on the air)` : ''}, ` +
      `${count.perPart} ${unitName} per part, ${count.remaining} left in the last`,
  );
  lines.push(
    `mode:      ${count.mode}${split.udhi ? ', set esm_class UDHI (0x40)' : ''}${
      split.reference !== undefined ? `, reference ${split.reference}` : ''
    }`,
  );
  for (const p of split.parts) {
    lines.push('');
    lines.push(
      `part ${p.sequence}/${p.total}: ${p.units} ${unitName}${p.sar ? `, sar_msg_ref_num ${p.sar.sar_msg_ref_num} sar_total_segments ${p.sar.sar_total_segments} sar_segment_seqnum ${p.sar.sar_segment_seqnum}` : ''}`,
    );
    if (p.udh) lines.push(`  udh:           ${hexBytes(p.udh)}`);
    if (p.messagePayload) lines.push(`  message_payload (${p.messagePayload.length}): ${hexBytes(p.messagePayload)}`);
    else lines.push(`  short_message (${p.shortMessage.length}): ${hexBytes(p.shortMessage)}`);
    lines.push(`  text:          ${JSON.stringify(p.text)}`);
  }
  return lines.join('\n');
}

function describeNl(nl: NationalLanguage): string {
  const parts: string[] = [];
  if (nl.locking) parts.push(`${languageTables(nl.locking)?.name} locking shift (IEI 0x25)`);
  if (nl.single) parts.push(`${languageTables(nl.single)?.name} single shift (IEI 0x24)`);
  return parts.join(' + ');
}

function showDecode(hex: string, args: Args): string {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(clean))
    throw new UsageError(`--decode needs an even number of hex digits, got '${hex}'`);
  const bytes = Buffer.from(clean, 'hex');
  const dataCoding = args.opts.dataCoding ?? 0;
  const info = describeDataCoding(dataCoding, args.opts.smscDefault, args.opts.ia5);
  let data: Buffer = bytes;
  let udh: ReturnType<typeof parseUdh> | undefined;
  if (args.udhi) {
    udh = parseUdh(bytes);
    data = bytes.subarray(udh.length);
  }
  const nationalLanguage = args.opts.nationalLanguage ?? udh?.nationalLanguage;
  const text = decodeText(data, dataCoding, {
    smscDefault: args.opts.smscDefault,
    ia5: args.opts.ia5,
    gsmPacking: args.opts.gsmPacking,
    udhLength: udh?.length ?? 0,
    nationalLanguage,
  });
  if (args.json) {
    return JSON.stringify(
      {
        dataCoding,
        encoding: info.name,
        text,
        udh: udh ? { length: udh.length, elements: udh.elements.map(jsonElement) } : null,
      },
      null,
      2,
    );
  }
  const lines = [`encoding:  ${info.name}, data_coding ${dcHex(dataCoding)}`];
  if (udh) {
    lines.push(`udh:       ${hexBytes(bytes.subarray(0, udh.length))}`);
    for (const e of udh.elements) lines.push(`           ${JSON.stringify(jsonElement(e))}`);
  }
  lines.push(`text:      ${JSON.stringify(text)}`);
  const odd = [...text].filter((c) => c === '\uFFFD').length;
  if (odd) lines.push(`note:      ${odd} octet(s) are not valid in ${info.name} (shown as U+FFFD)`);
  return lines.join('\n');
}

function jsonElement(e: ReturnType<typeof parseUdh>['elements'][number]): unknown {
  return e.type === 'unknown' ? { type: e.type, iei: e.iei, data: e.data.toString('hex') } : e;
}

function main(argv: string[]): number {
  let args: Args | 'help' | 'version';
  try {
    args = parseArgs(argv);
    if (args === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (args === 'version') {
      const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    const out = args.decode !== undefined ? showDecode(args.decode, args) : showText(args.text!, args.opts, args.json);
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`smpp-text: ${err.message}\n`);
      return 2;
    }
    if (err instanceof EncodingError) {
      const hint =
        err.code === 'UNENCODABLE'
          ? '\n(pass --replace to substitute it, or leave out --data-coding to have the encoding chosen)'
          : '';
      process.stderr.write(`smpp-text: ${err.message}${hint}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));
