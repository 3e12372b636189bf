/**
 * A query that cannot run as asked: bad SQL, an unknown column, a target with nothing to query.
 * The CLI prints the message alone and exits 2; anything else is a fault of the kit or the
 * environment (exit 1).
 */
export class QueryError extends Error {
  readonly exitCode = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'QueryError';
  }
}
