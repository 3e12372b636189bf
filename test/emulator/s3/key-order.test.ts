import fc from 'fast-check';
import { compareKeys } from '../../../emulator/s3/key-order';

const utf8Order = (a: string, b: string) =>
  Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

// Characters where UTF-16 and UTF-8 orders disagree (U+E000..U+FFFF against supplementary ones).
const tricky = fc.string({
  unit: fc.constantFrom('a', 'B', '-', '/', '0', 'é', '\u00ff', '\ue000', '\uffee', '😀', '𝄞'),
});

test('compareKeys orders like UTF-8 bytes (what S3 lists by), for any strings', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary' }), tricky),
      fc.oneof(fc.string({ unit: 'binary' }), tricky),
      (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(utf8Order(a, b));
      },
    ),
    { numRuns: 500 },
  );
});

test('the cases JavaScript gets wrong on its own', () => {
  expect('\uffee' > '😀').toBe(true); // UTF-16 code units say so...
  expect(compareKeys('\uffee', '😀')).toBeLessThan(0); // ...UTF-8 bytes (EF vs F0) say otherwise
  expect(compareKeys('a-b', 'a/')).toBeLessThan(0);
  expect(compareKeys('a', 'a/')).toBeLessThan(0);
  expect(compareKeys('same', 'same')).toBe(0);
});
