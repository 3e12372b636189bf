import { createHash } from 'node:crypto';
import {
  CHECKSUM_ALGORITHMS,
  checksumAlgorithmOf,
  createChecksummer,
} from '../../../emulator/s3/checksums';
import { patternBytes } from './support';

const CHECK = Buffer.from('123456789');
const hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

function digestOf(algorithm: (typeof CHECKSUM_ALGORITHMS)[number], parts: Buffer[]): string {
  const checksummer = createChecksummer(algorithm);
  for (const part of parts) checksummer.update(part);
  return checksummer.digest();
}

test('standard check values of "123456789"', () => {
  expect(hex(digestOf('CRC32', [CHECK]))).toBe('cbf43926');
  expect(hex(digestOf('CRC32C', [CHECK]))).toBe('e3069283');
  expect(hex(digestOf('CRC64NVME', [CHECK]))).toBe('ae8b14860a799888');
  expect(hex(digestOf('SHA1', [CHECK]))).toBe(createHash('sha1').update(CHECK).digest('hex'));
  expect(hex(digestOf('SHA256', [CHECK]))).toBe(createHash('sha256').update(CHECK).digest('hex'));
});

test.each(CHECKSUM_ALGORITHMS)(
  '%s gives the same digest however the data is split',
  (algorithm) => {
    const data = patternBytes(10_000, 4);
    const whole = digestOf(algorithm, [data]);
    expect(
      digestOf(algorithm, [data.subarray(0, 1), data.subarray(1, 4097), data.subarray(4097)]),
    ).toBe(whole);
    expect(digestOf(algorithm, [Buffer.alloc(0), data])).toBe(whole);
  },
);

test('header and algorithm names map to algorithms', () => {
  expect(checksumAlgorithmOf('x-amz-checksum-crc64nvme')).toBe('CRC64NVME');
  expect(checksumAlgorithmOf('sha256')).toBe('SHA256');
  expect(checksumAlgorithmOf('x-amz-checksum-md5')).toBeUndefined();
});
