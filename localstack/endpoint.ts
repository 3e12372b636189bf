/** LocalStack's edge endpoint as the SDK and cdklocal need it: an origin, no trailing path. */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(
      `not a URL: ${endpoint}; give the emulator endpoint like http://localhost:4566`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`endpoint must be http(s): ${endpoint}`);
  }
  return url.origin;
}

/**
 * Virtual-host S3 addressing (<bucket>.<host>) resolves only under localhost.localstack.cloud,
 * whose DNS answers every subdomain; any other host (localhost, localstack, an IP) needs path style.
 */
export function needsPathStyle(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host !== 'localhost.localstack.cloud' && !host.endsWith('.localhost.localstack.cloud');
}
