/**
 * The one place that knows how the embedded emulator keeps objects on disk: `<s3Dir>/<bucket>/<key>`
 * holding the uploaded bytes (emulator/s3/data-layout.ts). Reading the files directly rather than
 * through the emulator's S3 endpoint makes a first query over 100,000 readings several times faster
 * (no HTTP request per object) and works while the emulator is stopped.
 */
import { type Dirent, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { eventsTable, parseObjectKey } from '../../model';
import { QueryError } from '../errors';
import type { ListedObject, ObjectSource } from './object-source';

/** Files read between yields to the event loop, so a server using the engine stays responsive. */
const READ_CHUNK = 256;

/** A glob matching every reading's file (for DuckDB reading them directly: bench B5's baseline). */
export function emulatorObjectsGlob(s3Dir: string, bucket: string): string {
  return path.join(s3Dir, bucket, eventsTable.keyPrefix, '*', '*', '*.json');
}

export function emulatorFileSource(s3Dir: string, bucket: string): ObjectSource {
  const bucketDir = path.join(s3Dir, bucket);
  return {
    description: `the embedded pipeline's objects in ${path.relative(process.cwd(), bucketDir) || bucketDir}`,
    async list() {
      const isBucket = await stat(bucketDir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!isBucket) {
        throw new QueryError(
          `no embedded pipeline data at ${bucketDir}: start it once (npm start or npm run dev), or give --data-dir`,
        );
      }
      const prefixDir = path.join(bucketDir, eventsTable.keyPrefix);
      const objects: ListedObject[] = [];
      const entries = async (dir: string): Promise<Dirent[]> =>
        readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return []; // none yet, or removed meanwhile
          throw error;
        });
      // Two folder levels (dt=, hour=) then the objects: each folder's name is checked once by
      // the key layout, then only the file names.
      const hourDirs = (
        await Promise.all(
          (
            await entries(prefixDir)
          )
            .filter((d) => d.isDirectory())
            .map(async (d) =>
              (
                await entries(path.join(prefixDir, d.name))
              )
                .filter((h) => h.isDirectory())
                .map((h) => `${d.name}/${h.name}/`),
            ),
        )
      )
        .flat()
        .filter((partition) => parseObjectKey(`${eventsTable.keyPrefix}${partition}x.json`));
      await Promise.all(
        hourDirs.map(async (partition) => {
          const keyPrefix = `${eventsTable.keyPrefix}${partition}`;
          for (const file of await entries(path.join(prefixDir, partition))) {
            if (file.isFile() && file.name.endsWith('.json')) {
              objects.push({ key: `${keyPrefix}${file.name}`, tag: '' });
            }
          }
        }),
      );
      return objects;
    },
    async read(keys) {
      const bodies: (string | undefined)[] = [];
      for (let start = 0; start < keys.length; start += READ_CHUNK) {
        // Synchronous reads of small files are several times faster than fs.promises here.
        for (const key of keys.slice(start, start + READ_CHUNK)) {
          try {
            bodies.push(readFileSync(path.join(bucketDir, key), 'utf8'));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
            bodies.push(undefined);
          }
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return bodies;
    },
  };
}
