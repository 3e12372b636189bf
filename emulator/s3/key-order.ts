/**
 * S3 lists keys in UTF-8 byte order. JavaScript compares UTF-16 code units, which agrees with
 * UTF-8 byte order except where a surrogate (a character above U+FFFF) meets a character from
 * U+E000 to U+FFFF; that case is decided here without allocating buffers.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    // A surrogate starts a supplementary character, which sorts after every BMP character.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
