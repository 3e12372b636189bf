import { createHash } from 'node:crypto';

export interface RouteDefinition {
  readonly path: string;
  readonly method: string;
}

export interface MatchedRoute {
  kind: 'route';
  route: RouteDefinition;
  /** The path after the stage, e.g. `/events` (the event's `path`). */
  path: string;
  /** The path with the stage, e.g. `/prod/events` (`requestContext.path`). */
  stagePath: string;
  /** A stable resource id for the route, as API Gateway gives each resource one. */
  resourceId: string;
}

/** `unknown-stage` is API Gateway's 403 Forbidden; `no-route` its 403 Missing Authentication Token. */
export type RouteMatch = MatchedRoute | { kind: 'unknown-stage' } | { kind: 'no-route' };

export interface RouteTable {
  apiId: string;
  stage: string;
  routes: readonly RouteDefinition[];
}

/**
 * URL forms served (both reach the same stage):
 *   http://127.0.0.1:<port>/<stage>/events                          (API Gateway's own form)
 *   http://127.0.0.1:<port>/_aws/execute-api/<apiId>/<stage>/events (LocalStack's path form)
 */
export function matchRoute(pathname: string, method: string, table: RouteTable): RouteMatch {
  const localstackPrefix = `/_aws/execute-api/${table.apiId}`;
  const stagePath = pathname.startsWith(`${localstackPrefix}/`)
    ? pathname.slice(localstackPrefix.length)
    : pathname;
  const stagePrefix = `/${table.stage}`;
  if (!(stagePath === stagePrefix || stagePath.startsWith(`${stagePrefix}/`))) {
    return { kind: 'unknown-stage' };
  }
  const path = stagePath.slice(stagePrefix.length) || '/';
  const route = table.routes.find((r) => r.path === path && r.method === method.toUpperCase());
  if (route === undefined) return { kind: 'no-route' };
  return { kind: 'route', route, path, stagePath, resourceId: resourceIdFor(table.apiId, path) };
}

function resourceIdFor(apiId: string, path: string): string {
  return createHash('sha256').update(`${apiId}${path}`).digest('hex').slice(0, 6);
}
