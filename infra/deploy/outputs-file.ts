import { readFile } from 'node:fs/promises';
import { parseStackOutputs, type StackOutputs } from '../stack-outputs';

/** Reads the file `cdk deploy --outputs-file` wrote and returns the stack's outputs. */
export async function readStackOutputs(file: string, stackName: string): Promise<StackOutputs> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read the cdk outputs file ${file} (${(error as Error).message}); did cdk deploy finish?`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the cdk outputs file ${file} is not JSON; deploy again`);
  }
  return parseStackOutputs(json, stackName);
}

/** The region of an API Gateway invoke URL (https://<id>.execute-api.<region>.amazonaws.com/...). */
export function regionFromApiUrl(apiUrl: string): string {
  const match = /^https:\/\/[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(
    apiUrl,
  );
  if (!match?.[1]) throw new Error(`not an API Gateway invoke URL: ${apiUrl}`);
  return match[1];
}
