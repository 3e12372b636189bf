/**
 * The one place that knows how the embedded emulator keeps objects on disk: `<s3Dir>/<bucket>/<key>`
 * holding the uploaded bytes (emulator/s3/data-layout.ts). Reading the files directly rather than
 * through the emulator's S3 endpoint makes a first query over 100,000 readings several times faster
 * (no HTTP request per object) and works while the emulator is stopped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
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
      // Synchronous readdir of names only: several times faster than fs.promises with Dirents
      // over hundreds of partition folders; the event loop gets a turn after each day.
      const names = (dir: string): string[] => {
        try {
          return readdirSync(dir);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') return []; // none yet, or not a folder
          throw error;
        }
      };
      for (const day of names(prefixDir)) {
        for (const hour of names(path.join(prefixDir, day))) {
          const partition = `${day}/${hour}/`;
          // Folder names are checked against the key layout once; then only the file names.
          if (!parseObjectKey(`${eventsTable.keyPrefix}${partition}x.json`)) continue;
          const keyPrefix = `${eventsTable.keyPrefix}${partition}`;
          for (const file of names(path.join(prefixDir, partition))) {
            if (file.endsWith('.json')) objects.push({ key: `${keyPrefix}${file}`, tag: '' });
          }
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
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
