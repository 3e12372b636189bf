/**
 * Names of the stack's Athena pieces, derived from the stack name so that one stack per developer
 * (`-c stackName=...`) gets its own. Free of CDK imports: `npm run query` reads them to find the
 * workgroup and database of a deployed stack without loading the CDK.
 */

/** Turns a stack name into a Glue/Athena-friendly database name: PushPipeline -> push_pipeline. */
export function glueDatabaseName(stackName: string): string {
  return stackName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase();
}

/** The stack's Athena workgroup (names are unique per account and region): PushPipeline-queries. */
export function athenaWorkgroupName(stackName: string): string {
  return `${stackName}-queries`;
}
