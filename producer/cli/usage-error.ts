/** A mistake in the command line: exit code 2, message naming the flag and the fix. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly flag?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
