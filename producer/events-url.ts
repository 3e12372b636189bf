import { pipelineDefinition } from '../deployment/definition';

const route = pipelineDefinition.api.routes[0].path;

/**
 * Accepts the events endpoint itself or the stage URL the deploy prints (CDK's RestApi.url ends in
 * `/prod/`), and returns the endpoint, so either form a user copies works.
 */
export function resolveEventsUrl(apiUrl: string): URL {
  const url = new URL(apiUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(route)) url.pathname = `${path}${route}`;
  return url;
}
