import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds by thread group of this process. */
export type ThreadCpu = Record<string, number>;

/** Linux names Node's threads; these are the groups the bench reports. */
const GROUPS: Record<string, string> = {
  MainThread: 'main thread',
  WorkerThread: 'worker threads',
  'libuv-worker': 'libuv threadpool',
  V8Worker: 'V8 helpers (GC, compiler)',
};

/**
 * CPU time per thread group from /proc/self/task (Linux): the emulator's main thread (gateway and
 * S3 endpoint), its function workers, the libuv threadpool (file system calls) and V8's helper
 * threads. Elsewhere, the process total only.
 */
export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = {};
  try {
    const tick = 10; // ms per clock tick (USER_HZ is 100 on Linux)
    for (const task of readdirSync('/proc/self/task')) {
      const comm = readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * tick;
      const group = GROUPS[comm] ?? 'other threads';
      out[group] = (out[group] ?? 0) + ms;
    }
  } catch {
    const { user, system } = process.cpuUsage();
    out['process (all threads)'] = (user + system) / 1000;
  }
  return out;
}

export function cpuDelta(after: ThreadCpu, before: ThreadCpu): ThreadCpu {
  const out: ThreadCpu = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}
