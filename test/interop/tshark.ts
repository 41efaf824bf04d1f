// Wireshark's SMPP dissector (run as tshark) as an independent judge of our bytes.
// PDUs are wrapped in one TCP stream inside a pcap file (raw IPv4 link type), dissected,
// and each PDU comes back as the flat field map tshark prints.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function haveTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ipv4Tcp(payload: Buffer, seq: number, fromClient: boolean, port: number): Buffer {
  const ip = Buffer.alloc(20);
  const tcp = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(40 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 6; // TCP
  const a = [127, 0, 0, 1];
  const b = [127, 0, 0, 2];
  Buffer.from(fromClient ? a : b).copy(ip, 12);
  Buffer.from(fromClient ? b : a).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  tcp.writeUInt16BE(fromClient ? 40000 : port, 0);
  tcp.writeUInt16BE(fromClient ? port : 40000, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp[12] = 0x50;
  tcp[13] = 0x18; // PSH, ACK
  tcp.writeUInt16BE(65535, 14);
  return Buffer.concat([ip, tcp, payload]);
}

/** A pcap file holding the given PDUs, each in its own TCP segment of one client→server stream. */
export function pcapOf(pdus: Buffer[], port = 2775): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(101, 20); // LINKTYPE_RAW
  const parts: Buffer[] = [header];
  let seq = 1;
  pdus.forEach((pdu, i) => {
    const packet = ipv4Tcp(pdu, seq, true, port);
    seq += pdu.length;
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(packet.length, 8);
    rec.writeUInt32LE(packet.length, 12);
    parts.push(rec, packet);
  });
  return Buffer.concat(parts);
}

export interface Dissected {
  /** smpp.* fields of this PDU, by field name (repeated fields become arrays) */
  fields: Record<string, string | string[]>;
  /** expert-info / malformed texts tshark attached to the packet */
  problems: string[];
}

function collect(node: unknown, fields: Record<string, string | string[]>, problems: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collect(n, fields, problems);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (
      k === '_ws.malformed' ||
      k === '_ws.expert' ||
      k.startsWith('_ws.expert.message') ||
      k === '_ws.malformed.expert'
    ) {
      problems.push(`${k}: ${JSON.stringify(v)}`);
    }
    if (k.startsWith('smpp.') && (typeof v === 'string' || Array.isArray(v))) {
      const prev = fields[k];
      if (prev === undefined) fields[k] = v as string;
      else fields[k] = ([] as string[]).concat(prev, v as string);
    }
    if (typeof v === 'object') collect(v, fields, problems);
  }
}

/** Dissects the PDUs with tshark; one entry per PDU, in order. */
export async function dissect(pdus: Buffer[], port = 2775): Promise<Dissected[]> {
  const dir = mkdtempSync(join(tmpdir(), 'smpp-tshark-'));
  try {
    const file = join(dir, 'pdus.pcap');
    writeFileSync(file, pcapOf(pdus, port));
    const { stdout } = await run(
      'tshark',
      [
        '-r',
        file,
        '-d',
        `tcp.port==${port},smpp`,
        '-o',
        'tcp.desegment_tcp_streams:TRUE',
        '-T',
        'json',
        '--no-duplicate-keys',
      ],
      {
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const packets = JSON.parse(stdout) as Array<{ _source: { layers: Record<string, unknown> } }>;
    const out: Dissected[] = [];
    for (const p of packets) {
      const layers = p._source.layers;
      const smpp = layers.smpp;
      const problems: string[] = [];
      for (const [k, v] of Object.entries(layers)) if (k.startsWith('_ws')) problems.push(`${k}: ${JSON.stringify(v)}`);
      const list = Array.isArray(smpp) ? smpp : smpp ? [smpp] : [];
      for (const pdu of list) {
        const fields: Record<string, string | string[]> = {};
        const pduProblems = [...problems];
        collect(pdu, fields, pduProblems);
        out.push({ fields, problems: pduProblems });
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
