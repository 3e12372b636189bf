/** A reading's object as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  /**
   * Changes when the object's content does (the S3 ETag). Readings are written once (a conditional
   * put per key), so a source that cannot tell cheaply gives '' and the key alone identifies it.
   */
  readonly tag: string;
}

/** Where the readings' objects are read from: the emulator's files, or any S3 API. */
export interface ObjectSource {
  /** Says where, for messages: "the embedded pipeline's files in .pipeline/s3/<bucket>". */
  readonly description: string;
  /** Every reading's object under the key prefix now (keys that are not readings' are left out). */
  list(): Promise<ListedObject[]>;
  /** The bytes of each key, in order; a key that vanished since the listing gives undefined. */
  read(keys: readonly string[]): Promise<(string | undefined)[]>;
}
