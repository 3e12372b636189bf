/**
 * The ordered folder walk and paging engine against a plain model of S3 listing (sort every key
 * by UTF-8 bytes, filter by prefix, roll up by delimiter, cut in pages), on random key sets.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { type ListPosition, listPage } from '../../../emulator/s3/list-objects';
import { makeTempDir } from './support';

const utf8Order = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

type Item = { key: string } | { commonPrefix: string };

function model(keys: readonly string[], prefix: string, delimiter: string): Item[] {
  const items: Item[] = [];
  for (const key of [...keys].filter((k) => k.startsWith(prefix)).sort(utf8Order)) {
    const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    if (cut === -1) {
      items.push({ key });
      continue;
    }
    const commonPrefix = key.slice(0, cut + delimiter.length);
    const last = items.at(-1);
    if (last === undefined || !('commonPrefix' in last) || last.commonPrefix !== commonPrefix)
      items.push({ commonPrefix });
  }
  return items;
}

/** Keys that can coexist as files: none is a "folder" of another. */
function storable(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  return unique.filter(
    (key) =>
      !unique.some(
        (other) => other !== key && (other.startsWith(`${key}/`) || key.startsWith(`${other}/`)),
      ),
  );
}

const segment = fc
  .string({
    unit: fc.constantFrom('a', 'b', 'B', '-', '0', '.', 'é', '😀'),
    minLength: 1,
    maxLength: 3,
  })
  .filter((s) => s !== '.' && s !== '..');
const key = fc.array(segment, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('/'));

let root: string;
beforeAll(async () => {
  root = await makeTempDir('paging');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('paging through listPage yields exactly the model listing, in full pages', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(key, { minLength: 0, maxLength: 14 }),
      fc.oneof(fc.constant(''), fc.constantFrom('a', 'a/', 'b-', '0', 'é'), segment),
      fc.constantFrom('', '/', '-', 'a'),
      fc.integer({ min: 1, max: 4 }),
      async (rawKeys, prefix, delimiter, maxKeys) => {
        const bucketDir = join(root, `run-${run++}`);
        const keys = storable(rawKeys);
        await mkdir(bucketDir, { recursive: true });
        for (const k of keys) {
          await mkdir(dirname(join(bucketDir, k)), { recursive: true });
          await writeFile(join(bucketDir, k), k);
        }
        const listed: Item[] = [];
        let start: ListPosition | undefined;
        for (let pages = 0; ; pages++) {
          if (pages > keys.length + 1) throw new Error('paging does not end');
          const page = await listPage(bucketDir, { prefix, delimiter, maxKeys, start });
          const items = page.keys.length + page.commonPrefixes.length;
          if (page.isTruncated) expect(items).toBe(maxKeys);
          else expect(items).toBeLessThanOrEqual(maxKeys);
          // Within a page, keys and CommonPrefixes interleave in order; merge them back.
          const pageItems: Item[] = [
            ...page.keys.map((k) => ({ key: k })),
            ...page.commonPrefixes.map((p) => ({ commonPrefix: p })),
          ].sort((x, y) =>
            utf8Order('key' in x ? x.key : x.commonPrefix, 'key' in y ? y.key : y.commonPrefix),
          );
          listed.push(...pageItems);
          if (!page.isTruncated) break;
          start = page.next;
        }
        expect(listed).toEqual(model(keys, prefix, delimiter));
        await rm(bucketDir, { recursive: true, force: true });
      },
    ),
    { numRuns: 60 },
  );
});
