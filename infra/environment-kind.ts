/**
 * Where a stack is deployed. 'aws' keeps data when the stack is deleted (RETAIN); 'local'
 * (LocalStack, dev accounts) removes the bucket and its objects with the stack.
 */
export type EnvironmentKind = 'aws' | 'local';

export const environmentKinds: readonly EnvironmentKind[] = ['aws', 'local'];

/** Reads the kind from a context value or prop; unset means 'aws' (the safe default: RETAIN). */
export function parseEnvironmentKind(value: unknown): EnvironmentKind {
  if (value === undefined || value === null || value === '') return 'aws';
  if (value === 'aws' || value === 'local') return value;
  throw new Error(
    `environmentKind must be one of ${environmentKinds.join(', ')} (got ${JSON.stringify(value)}); ` +
      'pass it as -c environmentKind=local or as the stack prop',
  );
}

/** Reads an optional boolean from CDK context, where `-c name=false` arrives as a string. */
export function parseContextFlag(name: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${name} must be true or false (got ${JSON.stringify(value)})`);
}
