import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../deployment/repo-root';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time of the profiles summarised together. */
  share: number;
}

export interface ProfileSummary {
  files: string[];
  sampledMs: number;
  /** Everything but (idle). */
  busyMs: number;
  topFunctions: SelfTime[];
  topModules: SelfTime[];
}

function clean(url: string): string {
  return url.replace(/^file:\/\//, '');
}

/** Path below node_modules, else repository-relative, else as is. */
function short(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith(`${repoRoot}/`) ? path.slice(repoRoot.length + 1) : path;
}

/** A package name (node_modules/<pkg>), node:<module>, or the repository-relative file. */
function moduleOfPath(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  if (path.startsWith('node:')) return path.split('/').slice(0, 2).join('/');
  return short(path);
}

/** Maps a position in a bundle back to its source file and line. */
type Resolver = (line: number, column: number) => { file: string; line: number } | undefined;

/**
 * A bundle's source map (`<file>.map`, as esbuild writes it for the function), so samples in a
 * minified bundle are charged to the package or source file they came from.
 */
async function bundleResolver(file: string): Promise<Resolver | undefined> {
  if (!/\.(c?js|mjs)$/.test(file)) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(`${file}.map`, 'utf8'));
  } catch {
    return undefined;
  }
  const map = new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]);
  const dir = path.dirname(file);
  return (line, column) => {
    const entry = map.findEntry(line, column);
    if (!('originalSource' in entry) || !entry.originalSource) return undefined;
    const source = entry.originalSource.replace(/^file:\/\//, '');
    return { file: path.resolve(dir, source), line: entry.originalLine + 1 };
  };
}

/**
 * Self time per function and per module over one or more .cpuprofile files (from --cpu-prof:
 * one per thread), e.g. all function workers of an emulator together.
 */
export async function summariseProfiles(
  files: readonly string[],
  top = 15,
): Promise<ProfileSummary> {
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  const bundles = new Map<string, Resolver | undefined>();
  let total = 0;
  let idle = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      // timeDeltas[i] is the time before sample i; the sample's own interval is the next delta.
      const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
      selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    });
    for (const [id, us] of selfUs) {
      const node = byId.get(id);
      if (!node) continue;
      const { functionName, lineNumber, columnNumber } = node.callFrame;
      const url = clean(node.callFrame.url);
      total += us;
      if (functionName === '(idle)') {
        idle += us;
        continue;
      }
      let module: string;
      let where = url ? `${short(url)}:${lineNumber + 1}` : '';
      if (!url)
        module = functionName.startsWith('(') ? functionName : '(native: fs, sockets, ports)';
      else {
        if (!bundles.has(url)) bundles.set(url, await bundleResolver(url));
        const source = bundles.get(url)?.(lineNumber, columnNumber);
        module = moduleOfPath(source?.file ?? url);
        if (source) where = `${short(source.file)}:${source.line} (bundle)`;
      }
      const name = where ? `${functionName || '(anonymous)'} ${where}` : functionName;
      fn.set(name, (fn.get(name) ?? 0) + us);
      mod.set(module, (mod.get(module) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const rank = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        share: busy > 0 ? Math.round((us / busy) * 1000) / 1000 : 0,
      }));
  return {
    files: [...files],
    sampledMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    topFunctions: rank(fn),
    topModules: rank(mod),
  };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const line = (t: SelfTime) =>
    `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${String(t.ms).padStart(6)} ms  ${t.name}`;
  return [
    `${title}: ${summary.busyMs} ms busy (${summary.files.length} profile(s))`,
    ' self time by module:',
    ...summary.topModules.map(line),
    ' self time by function:',
    ...summary.topFunctions.map(line),
  ].join('\n');
}
