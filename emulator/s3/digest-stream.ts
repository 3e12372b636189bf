/**
 * Measures an upload on its way to disk: byte count, MD5 (S3's ETag of a single-part object)
 * and, when the client sent one, its flexible checksum. Fails once the body grows past the size
 * limit so an oversized upload stops early. BodyDigester is the plain form (for small bodies
 * read into memory), DigestStream the pass-through stream form.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { type ChecksumAlgorithm, type Checksummer, createChecksummer } from './checksums';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The body is larger than ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

export interface BodyDigest {
  readonly bytes: number;
  /** Hex MD5 of the body. */
  readonly md5: string;
  /** Base64 checksum in the algorithm asked for, if any. */
  readonly checksum: string | undefined;
}

export class BodyDigester {
  #bytes = 0;
  readonly #md5: Hash = createHash('md5');
  readonly #checksummer: Checksummer | undefined;
  readonly #maxBytes: number;

  constructor(algorithm: ChecksumAlgorithm | undefined, maxBytes: number) {
    this.#checksummer = algorithm === undefined ? undefined : createChecksummer(algorithm);
    this.#maxBytes = maxBytes;
  }

  /** Throws BodyTooLargeError past the limit. */
  update(chunk: Buffer): void {
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) throw new BodyTooLargeError(this.#maxBytes);
    this.#md5.update(chunk);
    this.#checksummer?.update(chunk);
  }

  /** The measurements; call once, after the last update. */
  result(): BodyDigest {
    return {
      bytes: this.#bytes,
      md5: this.#md5.digest('hex'),
      checksum: this.#checksummer?.digest(),
    };
  }
}

export class DigestStream extends Transform {
  constructor(readonly digester: BodyDigester) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.digester.update(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback(null, chunk);
  }
}
