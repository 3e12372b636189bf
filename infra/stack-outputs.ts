import * as z from 'zod';

/**
 * The stack's CloudFormation outputs: the stack declares exactly these, and every deploy script
 * (LocalStack and AWS) reads them back with `parseStackOutputs`, so the two cannot drift.
 */
export const stackOutputNames = [
  'ApiId',
  'Stage',
  'ApiUrl',
  'ApiKeyId',
  'BucketName',
  'FunctionName',
  'LogGroupName',
] as const;

export type StackOutputName = (typeof stackOutputNames)[number];
export type StackOutputs = Record<StackOutputName, string>;

/** The default stack name; `-c stackName=...` overrides it (e.g. one stack per developer). */
export const defaultStackName = 'PushPipeline';

const outputsFileSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/**
 * Parses the JSON written by `cdk deploy --outputs-file` (`{ "<stack>": { "<output>": "..." } }`)
 * and returns the named stack's outputs, failing with what is missing and what to do.
 */
export function parseStackOutputs(json: unknown, stackName: string): StackOutputs {
  const parsed = outputsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      'the cdk outputs file is not an object of stacks to outputs; re-run the deploy with --outputs-file',
    );
  }
  const stack = parsed.data[stackName];
  if (stack === undefined) {
    const found = Object.keys(parsed.data).join(', ') || 'none';
    throw new Error(
      `the cdk outputs file has no stack ${stackName} (found: ${found}); did the deploy succeed?`,
    );
  }
  const missing = stackOutputNames.filter(
    (name) => typeof stack[name] !== 'string' || stack[name] === '',
  );
  if (missing.length > 0) {
    throw new Error(
      `stack ${stackName} lacks outputs ${missing.join(', ')}; it was deployed from an older version: deploy it again`,
    );
  }
  return Object.fromEntries(
    stackOutputNames.map((name) => [name, String(stack[name])]),
  ) as StackOutputs;
}
