import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as esbuild from 'esbuild';

/**
 * Reuses an esbuild bundle across starts while none of its inputs changed, so a start does not pay
 * a full bundle (~300 ms) for code that is already built. An entry records every input esbuild read
 * (its metafile) with a fingerprint, plus the directories of the project's own sources (a new file
 * there may change how an import resolves) and the files that steer esbuild (tsconfig.json,
 * package.json, node_modules/.package-lock.json). Any difference, or anything unreadable, is a miss.
 *
 * Shared by every data directory (tests and benchmarks use fresh ones): the key holds the build
 * options, esbuild's version and the path from the output directory to the sources (the source map
 * refers to them relatively), so the cached bytes are exactly what a build would write there.
 */

/** Bump when the entry format or the fingerprints change. */
const FORMAT = 1;
/** A file changed less than this before the build started may be newer than what esbuild read. */
const RACY_MS = 100;
/** Entries kept; the least recently used go (tests and fixtures each add one). */
const MAX_ENTRIES = 16;

export interface CachedOutput {
  /** File name in the output directory (`handler.cjs`, `handler.cjs.map`). */
  name: string;
  contents: Uint8Array;
}

interface Manifest {
  format: number;
  key: string;
  /** Absolute path -> fingerprint. */
  fingerprints: Record<string, string>;
  /** Output name -> stored file name (content-addressed, so never rewritten in place). */
  outputs: Record<string, string>;
}

export interface BuildCacheKeyInputs {
  options: esbuild.BuildOptions;
  esbuildVersion: string;
  /** Where the outputs go; only its name and its path to the sources are part of the key. */
  outfile: string;
  /** The directory esbuild resolves relative paths from (absWorkingDir). */
  workingDir: string;
}

export function buildCacheKey(inputs: BuildCacheKeyInputs): string {
  const { outfile: _outfile, plugins: _plugins, ...options } = inputs.options;
  return createHash('sha256')
    .update(
      JSON.stringify({
        format: FORMAT,
        esbuild: inputs.esbuildVersion,
        options,
        outName: path.basename(inputs.outfile),
        outToSources: path.relative(path.dirname(inputs.outfile), inputs.workingDir),
      }),
    )
    .digest('hex')
    .slice(0, 32);
}

const isDependency = (file: string): boolean => file.split(path.sep).includes('node_modules');

/**
 * The project's sources by content (a few dozen small files); dependencies by size and times
 * (hundreds of files, rewritten only by npm, which also changes their ctime); directories by mtime.
 */
async function fingerprint(file: string, kind: Kind): Promise<string> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) return 'absent';
  if (kind === 'dir') return `dir ${info.mtimeMs}`;
  if (isDependency(file)) return `stat ${info.size} ${info.mtimeMs} ${info.ctimeMs}`;
  return `sha256 ${createHash('sha256')
    .update(await readFile(file))
    .digest('hex')}`;
}

/** An input esbuild read, a directory of the project's sources, or a settings file (may be absent). */
type Kind = 'file' | 'dir' | 'settings';

/** What a build depends on: esbuild's inputs, their directories, and esbuild's own settings files. */
function dependencies(metafile: esbuild.Metafile, workingDir: string): Map<string, Kind> {
  const found = new Map<string, Kind>();
  for (const input of Object.keys(metafile.inputs)) {
    // Inputs are relative to the working directory; virtual ones ("<stdin>", "ns:path") are not files.
    if (input.startsWith('<') || /^[a-z-]+:/.test(input)) continue;
    const file = path.resolve(workingDir, input);
    found.set(file, 'file');
    if (!isDependency(file)) found.set(path.dirname(file), 'dir');
  }
  for (const name of ['tsconfig.json', 'package.json', 'node_modules/.package-lock.json']) {
    found.set(path.join(workingDir, name), 'settings');
  }
  return found;
}

export class BuildCache {
  constructor(
    /** Root directory of the cache (one sub-directory per key). */
    readonly dir: string,
  ) {}

  /** The outputs stored for `key`, if every recorded input is as it was; otherwise undefined. */
  async load(key: string): Promise<CachedOutput[] | undefined> {
    const entryDir = path.join(this.dir, key);
    try {
      const manifest = JSON.parse(
        await readFile(path.join(entryDir, 'manifest.json'), 'utf8'),
      ) as Manifest;
      if (manifest.format !== FORMAT || manifest.key !== key) return undefined;
      const checks = await Promise.all(
        Object.entries(manifest.fingerprints).map(
          async ([file, expected]) =>
            (await fingerprint(file, expected.startsWith('dir ') ? 'dir' : 'file')) === expected,
        ),
      );
      if (!checks.every(Boolean)) return undefined;
      // Marks the entry as used, for pruning.
      const now = new Date();
      await utimes(path.join(entryDir, 'manifest.json'), now, now);
      return await Promise.all(
        Object.entries(manifest.outputs).map(async ([name, stored]) => ({
          name,
          contents: await readFile(path.join(entryDir, stored)),
        })),
      );
    } catch {
      // No entry, a half-written one, an input gone: build instead.
      return undefined;
    }
  }

  /**
   * Records a successful build. Skipped (returns false) when an input changed after
   * `buildStartedAt`: esbuild may have read the older content, and the entry must never be stale.
   * Safe with concurrent starts: outputs are content-addressed and the manifest is renamed in.
   */
  async save(options: {
    key: string;
    metafile: esbuild.Metafile;
    workingDir: string;
    outputs: readonly CachedOutput[];
    /** Date.now() when the build started. */
    buildStartedAt: number;
  }): Promise<boolean> {
    const deps = dependencies(options.metafile, options.workingDir);
    const fingerprints: Record<string, string> = {};
    for (const [file, kind] of deps) {
      const info = await stat(file).catch(() => undefined);
      if (info === undefined) {
        // An input gone since the build: the bundle may not match what is there now.
        if (kind !== 'settings') return false;
        fingerprints[file] = 'absent';
        continue;
      }
      if (Math.max(info.mtimeMs, info.ctimeMs) > options.buildStartedAt - RACY_MS) return false;
      fingerprints[file] = await fingerprint(file, kind);
    }
    const entryDir = path.join(this.dir, options.key);
    await mkdir(entryDir, { recursive: true });
    const outputs: Record<string, string> = {};
    for (const output of options.outputs) {
      const digest = createHash('sha256').update(output.contents).digest('hex').slice(0, 16);
      const stored = `${digest}-${output.name}`;
      await writeAtomically(path.join(entryDir, stored), output.contents);
      outputs[output.name] = stored;
    }
    const manifest: Manifest = { format: FORMAT, key: options.key, fingerprints, outputs };
    await writeAtomically(path.join(entryDir, 'manifest.json'), JSON.stringify(manifest));
    // Outputs of earlier builds; a concurrent reader that still wanted one just builds instead.
    const keep = new Set([...Object.values(outputs), 'manifest.json']);
    for (const name of await readdir(entryDir)) {
      if (!keep.has(name) && !name.endsWith('.tmp')) {
        await rm(path.join(entryDir, name), { force: true });
      }
    }
    await this.prune();
    return true;
  }

  /** Keeps the MAX_ENTRIES most recently used entries, so the cache cannot grow without bound. */
  private async prune(): Promise<void> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const used = await Promise.all(
      entries
        .filter((entry) => entry.isDirectory())
        .map(async (entry) => {
          const dir = path.join(this.dir, entry.name);
          const manifest = await stat(path.join(dir, 'manifest.json')).catch(() => undefined);
          return { dir, usedAt: manifest?.mtimeMs ?? 0 };
        }),
    );
    used.sort((a, b) => b.usedAt - a.usedAt);
    for (const { dir } of used.slice(MAX_ENTRIES)) await rm(dir, { recursive: true, force: true });
  }
}

async function writeAtomically(file: string, contents: Uint8Array | string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}
