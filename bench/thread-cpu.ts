// CPU time of this process split by thread, from /proc/self/task (Linux): the main (JavaScript) thread and the
// rest (V8's compiler and GC helper threads, libuv's pool), in microseconds. Undefined where /proc is not there.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ 100

export function threadCpu(): { mainUs: number; otherUs: number } | undefined {
  try {
    let mainUs = 0;
    let otherUs = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const us = (Number(f[11]) + Number(f[12])) * TICK_US;
      if (Number(tid) === process.pid) mainUs += us;
      else otherUs += us;
    }
    return { mainUs, otherUs };
  } catch {
    return undefined;
  }
}
