import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AwsChunkedDecoder, AwsChunkedFormatError } from '../../../emulator/s3/aws-chunked';
import { patternBytes } from './support';

const SIGNATURE = 'f3a1'.repeat(16);

/** Runs `framed` through a decoder, delivered in pieces of `pieceSize` bytes. */
async function decode(
  framed: Buffer | string,
  pieceSize = 1 << 20,
  expectedDecodedLength?: number,
) {
  const bytes = Buffer.from(framed);
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += pieceSize)
    pieces.push(bytes.subarray(offset, offset + pieceSize));
  const decoder = new AwsChunkedDecoder({ expectedDecodedLength });
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), decoder, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return {
    body: Buffer.concat(out),
    trailers: decoder.trailers,
    decodedLength: decoder.decodedLength,
  };
}

test('unsigned framing with a checksum trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', async () => {
  const framed = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';
  const { body, trailers, decodedLength } = await decode(framed);
  expect(body.toString()).toBe('hello world');
  expect(decodedLength).toBe(11);
  expect(trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
});

test('signed chunks (;chunk-signature=) without trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
  const framed =
    `5;chunk-signature=${SIGNATURE}\r\nhello\r\n` +
    `6;chunk-signature=${SIGNATURE}\r\n world\r\n` +
    `0;chunk-signature=${SIGNATURE}\r\n\r\n`;
  const { body, trailers } = await decode(framed, 1 << 20, 11);
  expect(body.toString()).toBe('hello world');
  expect(trailers.size).toBe(0);
});

test('signed chunks with trailer and trailer signature (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', async () => {
  const framed =
    `b;chunk-signature=${SIGNATURE}\r\nhello world\r\n` +
    `0;chunk-signature=${SIGNATURE}\r\n` +
    'x-amz-checksum-sha256:uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\r\n' +
    `x-amz-trailer-signature:${SIGNATURE}\r\n\r\n`;
  const { body, trailers } = await decode(framed);
  expect(body.toString()).toBe('hello world');
  expect(trailers.get('x-amz-checksum-sha256')).toBe(
    'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=',
  );
  expect(trailers.get('x-amz-trailer-signature')).toBe(SIGNATURE);
});

test('the body ending right after "0\\r\\n" (how the SDK ends a stream without checksum) is accepted', async () => {
  expect((await decode('3\r\nabc\r\n0\r\n')).body.toString()).toBe('abc');
});

test('any split of the input into pieces decodes to the same bytes (large binary chunks too)', async () => {
  const content = patternBytes(100_000, 77);
  const parts: Buffer[] = [];
  for (
    let offset = 0, size = 1;
    offset < content.length;
    offset += size, size = Math.min(size * 3, 65_536)
  ) {
    const chunk = content.subarray(offset, offset + size);
    parts.push(
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=${SIGNATURE}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  parts.push(
    Buffer.from(`0;chunk-signature=${SIGNATURE}\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`),
  );
  const framed = Buffer.concat(parts);
  for (const pieceSize of [1, 2, 7, 4096, framed.length]) {
    const { body, trailers } = await decode(framed, pieceSize, content.length);
    expect(body.equals(content)).toBe(true);
    expect(trailers.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
  }
});

test.each([
  ['a chunk size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n', false],
  ['chunk data not followed by CRLF', '5\r\nhelloXX0\r\n\r\n', false],
  ['a bare LF line ending', '5\nhello\r\n0\r\n\r\n', false],
  ['an unknown chunk extension', '5;foo=bar\r\nhello\r\n0\r\n\r\n', false],
  ['a malformed trailer', '5\r\nhello\r\n0\r\nno-colon-here\r\n\r\n', false],
  ['data after the final chunk', '5\r\nhello\r\n0\r\n\r\nextra', false],
  ['a body cut inside a chunk', '10\r\nhello', true],
  ['a body with no final chunk', '5\r\nhello\r\n', true],
])('refuses %s', async (_name, framed, incomplete) => {
  const error = await decode(framed).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsChunkedFormatError);
  expect((error as AwsChunkedFormatError).incomplete).toBe(incomplete);
});

test('refuses a decoded length other than x-amz-decoded-content-length', async () => {
  const error = await decode('5\r\nhello\r\n0\r\n\r\n', 1 << 20, 6).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsChunkedFormatError);
  expect((error as Error).message).toMatch(
    /decoded to 5 bytes but x-amz-decoded-content-length is 6/,
  );
});

test('refuses an endless header line instead of buffering it', async () => {
  const error = await decode(
    `5;chunk-signature=${'a'.repeat(10_000)}\r\nhello\r\n0\r\n\r\n`,
    512,
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AwsChunkedFormatError);
  expect((error as Error).message).toMatch(/too long/);
});
