import path from 'node:path';

/** Where the emulator keeps its state inside a data directory. */
export function dataLayout(dataDir: string) {
  const root = path.resolve(dataDir);
  return {
    root,
    /** API key, API id: persisted so a `.env` written earlier stays valid. */
    apiKeyFile: path.join(root, 'api-key.json'),
    /** Bundles of the handler and of the worker runtime (what Lambda would run). */
    buildDir: path.join(root, 'build'),
    /** The S3 endpoint's files: `<s3Dir>/<bucket>/<key>`. */
    s3Dir: path.join(root, 's3'),
    /** The function's own output (console, Powertools logs): the emulator's CloudWatch log group. */
    logDir: path.join(root, 'logs'),
  };
}

export type DataLayout = ReturnType<typeof dataLayout>;
