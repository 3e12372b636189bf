/**
 * S3's flexible checksums (x-amz-checksum-*): which algorithms exist, their header names, and
 * incremental hashers that give the base64 value S3 and the SDK exchange.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc64Nvme, crc32c } from './crc';

export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64 of the big-endian digest, as in the x-amz-checksum-* header. */
  readonly value: string;
}

export interface Checksummer {
  update(data: Uint8Array): void;
  /** Base64 of the digest; call once, at the end. */
  digest(): string;
}

/** `x-amz-checksum-crc32` and so on (lower-case, as Node presents request headers). */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The algorithm a header name or algorithm name stands for, if any. */
export function checksumAlgorithmOf(name: string): ChecksumAlgorithm | undefined {
  const upper = name
    .trim()
    .toUpperCase()
    .replace(/^X-AMZ-CHECKSUM-/, '');
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}

function uint32Base64(value: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out.toString('base64');
}

export function createChecksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32': {
      let value = 0;
      return {
        update: (data) => {
          value = crc32(data, value);
        },
        digest: () => uint32Base64(value),
      };
    }
    case 'CRC32C': {
      let value = 0;
      return {
        update: (data) => {
          value = crc32c(data, value);
        },
        digest: () => uint32Base64(value),
      };
    }
    case 'CRC64NVME': {
      const crc = new Crc64Nvme();
      return { update: (data) => crc.update(data), digest: () => crc.digest().toString('base64') };
    }
    case 'SHA1':
    case 'SHA256': {
      const hash = createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (data) => void hash.update(data), digest: () => hash.digest('base64') };
    }
  }
}
