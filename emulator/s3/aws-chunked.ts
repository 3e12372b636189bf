/**
 * Decoder for S3's `Content-Encoding: aws-chunked` bodies, which SDK v3 sends for streams
 * (x-amz-content-sha256 STREAMING-UNSIGNED-PAYLOAD-TRAILER, or the signed STREAMING-AWS4-* forms):
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
 *   [<trailer-name>:<value>\r\n ...]\r\n
 *
 * Only the payload bytes come out; trailers (e.g. x-amz-checksum-crc32) are collected in
 * `trailers`. Chunk and trailer signatures are read but not verified: the emulator does not
 * check SigV4 signatures at all (any credentials are accepted).
 */
import { Transform, type TransformCallback } from 'node:stream';

/** The body is not valid aws-chunked framing; the request should fail with 400. */
export class AwsChunkedFormatError extends Error {
  constructor(
    message: string,
    /** True when the body ended early or its decoded length is not the declared one. */
    readonly incomplete = false,
  ) {
    super(message);
    this.name = 'AwsChunkedFormatError';
  }
}

export interface AwsChunkedDecoderOptions {
  /** x-amz-decoded-content-length, when the client sent it; checked at the end. */
  readonly expectedDecodedLength?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const MAX_LINE_BYTES = 4096;
const MAX_TRAILERS = 16;
const CHUNK_SIZE = /^[0-9a-fA-F]{1,13}$/;

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers, names lower-case. Complete once the stream has ended. */
  readonly trailers = new Map<string, string>();
  #decodedLength = 0;
  #state: State = 'size';
  /** Bytes of the line being read (size or trailer line), without its CRLF. */
  #line: Buffer[] = [];
  #lineLength = 0;
  #remaining = 0;
  /** How many bytes of the CRLF after chunk data have been seen. */
  #dataEndSeen = 0;
  readonly #expectedDecodedLength: number | undefined;

  constructor(options: AwsChunkedDecoderOptions = {}) {
    super();
    this.#expectedDecodedLength = options.expectedDecodedLength;
  }

  get decodedLength(): number {
    return this.#decodedLength;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // The SDK ends a body without checksum right after "0\r\n", with no blank line.
    const endedAfterLastChunk = this.#state === 'trailer' && this.#lineLength === 0;
    if (this.#state !== 'done' && !endedAfterLastChunk) {
      callback(
        new AwsChunkedFormatError('The aws-chunked body ended before its final chunk.', true),
      );
      return;
    }
    const expected = this.#expectedDecodedLength;
    if (expected !== undefined && expected !== this.#decodedLength) {
      callback(
        new AwsChunkedFormatError(
          `The aws-chunked body decoded to ${this.#decodedLength} bytes but ` +
            `x-amz-decoded-content-length is ${expected}.`,
          true,
        ),
      );
      return;
    }
    callback();
  }

  #consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.#state) {
        case 'data': {
          const take = Math.min(this.#remaining, chunk.length - offset);
          this.push(chunk.subarray(offset, offset + take));
          offset += take;
          this.#remaining -= take;
          this.#decodedLength += take;
          if (this.#remaining === 0) {
            this.#state = 'data-end';
            this.#dataEndSeen = 0;
          }
          break;
        }
        case 'data-end': {
          const expected = this.#dataEndSeen === 0 ? CR : LF;
          if (chunk[offset] !== expected) {
            throw new AwsChunkedFormatError('aws-chunked: chunk data is not followed by CRLF.');
          }
          offset += 1;
          this.#dataEndSeen += 1;
          if (this.#dataEndSeen === 2) this.#state = 'size';
          break;
        }
        case 'size':
        case 'trailer': {
          const end = chunk.indexOf(LF, offset);
          const stop = end === -1 ? chunk.length : end;
          this.#appendLine(chunk.subarray(offset, stop));
          offset = stop;
          if (end !== -1) {
            offset += 1;
            const line = this.#takeLine();
            if (this.#state === 'size') this.#onSizeLine(line);
            else this.#onTrailerLine(line);
          }
          break;
        }
        case 'done':
          throw new AwsChunkedFormatError('aws-chunked: unexpected data after the final chunk.');
      }
    }
  }

  #appendLine(part: Buffer): void {
    if (part.length === 0) return;
    this.#lineLength += part.length;
    if (this.#lineLength > MAX_LINE_BYTES) {
      throw new AwsChunkedFormatError('aws-chunked: a chunk header or trailer line is too long.');
    }
    this.#line.push(part);
  }

  /** The line read so far without its CRLF; a bare LF is refused. */
  #takeLine(): string {
    const line = Buffer.concat(this.#line, this.#lineLength);
    this.#line = [];
    this.#lineLength = 0;
    if (line[line.length - 1] !== CR) {
      throw new AwsChunkedFormatError('aws-chunked: lines must end with CRLF.');
    }
    return line.toString('latin1', 0, line.length - 1);
  }

  #onSizeLine(line: string): void {
    const semicolon = line.indexOf(';');
    const hex = semicolon === -1 ? line : line.slice(0, semicolon);
    if (!CHUNK_SIZE.test(hex)) {
      throw new AwsChunkedFormatError(`aws-chunked: invalid chunk size "${hex.slice(0, 20)}".`);
    }
    if (semicolon !== -1 && !/^chunk-signature=[0-9a-fA-F]+$/.test(line.slice(semicolon + 1))) {
      throw new AwsChunkedFormatError(
        'aws-chunked: invalid chunk extension (expected chunk-signature=<hex>).',
      );
    }
    const size = Number.parseInt(hex, 16);
    if (size === 0) {
      this.#state = 'trailer';
    } else {
      this.#state = 'data';
      this.#remaining = size;
    }
  }

  #onTrailerLine(line: string): void {
    if (line === '') {
      this.#state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new AwsChunkedFormatError(`aws-chunked: malformed trailer "${line.slice(0, 40)}".`);
    if (this.trailers.size >= MAX_TRAILERS)
      throw new AwsChunkedFormatError('aws-chunked: too many trailers.');
    this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}
