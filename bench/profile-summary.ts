import { readFile } from 'node:fs/promises';
import { repoRoot } from './paths';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Busy time: everything but (idle). */
  busyMs: number;
  topFunctions: SelfTime[];
  topModules: SelfTime[];
}

/** node_modules/<pkg>, node:<module>, or the repository-relative file. */
function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? clean);
  }
  if (clean.startsWith('node:')) return clean.split('/').slice(0, 2).join('/');
  return clean.startsWith(repoRoot) ? clean.slice(repoRoot.length + 1) : clean;
}

function short(url: string): string {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  return clean.startsWith(repoRoot) ? clean.slice(repoRoot.length + 1) : clean;
}

/** Self time per function and per module of a .cpuprofile (from --cpu-prof or the inspector). */
export async function summariseProfile(file: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the time before sample i; the sample's own interval is the next delta.
    const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const name = url
      ? `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`
      : functionName;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const m = moduleOf(url, functionName);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const busy = total - idle;
  const rank = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: busy > 0 ? us / busy : 0 }));
  return {
    file,
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    topFunctions: rank(fn),
    topModules: rank(mod),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const line = (t: SelfTime) =>
    `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${String(t.ms).padStart(6)} ms  ${t.name}`;
  return [
    `${summary.file}: ${summary.busyMs} ms busy of ${summary.totalMs} ms sampled`,
    ' top self time by module:',
    ...summary.topModules.map(line),
    ' top self time by function:',
    ...summary.topFunctions.map(line),
  ].join('\n');
}
