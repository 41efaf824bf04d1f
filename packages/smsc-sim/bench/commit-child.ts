// One-row commits (window 1: each submit alone in its commit) through the message store on two SQLite files, one
// with locking_mode NORMAL and one EXCLUSIVE, alternating rounds in one process: CPU per commit of each.
// bench only: node --import tsx bench/commit-child.ts <dir> [rounds] [commitsPerRound]
import { join } from 'node:path';
import { MessageStore } from '../src/store/index.js';
import { messageRecord } from '../test/records.js';

const [dir, roundsText, perText] = process.argv.slice(2);
const ROUNDS = Number(roundsText ?? 6);
const PER = Number(perText ?? 5000);
const open = (name: string, exclusive: boolean) => {
  const s = new MessageStore({ path: join(dir!, name) });
  // held from the next transaction on: no fcntl locks per transaction (no other connection can open the file)
  if (exclusive) s.db.pragma('locking_mode = EXCLUSIVE');
  s.count();
  return s;
};
const stores = { normal: open('normal.db', false), exclusive: open('exclusive.db', true) };
const body = Buffer.from('Your verification code is 123456');
const cpu: Record<string, number[]> = { normal: [], exclusive: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, s] of Object.entries(stores)) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < PER; i++) {
      s.insert(
        messageRecord(s.allocateId(), { shortMessage: body, text: body.toString(), dueAt: null, state: 'DELIVERED' }),
      );
      s.flush();
    }
    const c = process.cpuUsage(c0);
    if (r > 0) cpu[name]!.push(+((c.user + c.system) / PER).toFixed(2));
  }
}
for (const s of Object.values(stores)) s.close();
process.stdout.write(`${JSON.stringify({ usPerCommit: cpu })}\n`);
