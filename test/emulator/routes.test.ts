import { pipelineDefinition } from '../../deployment/definition';
import { matchRoute } from '../../emulator/gateway/routes';

const table = {
  apiId: 'abcde12345',
  stage: pipelineDefinition.api.stage,
  routes: pipelineDefinition.api.routes,
};

describe('matchRoute', () => {
  it('matches the defined route under the stage, in both URL forms', () => {
    for (const pathname of ['/prod/events', '/_aws/execute-api/abcde12345/prod/events']) {
      const match = matchRoute(pathname, 'post', table);
      expect(match).toMatchObject({
        kind: 'route',
        path: '/events',
        stagePath: '/prod/events',
        route: { path: '/events', method: 'POST' },
      });
    }
  });

  it('tells an unknown stage from an unknown route or method', () => {
    expect(matchRoute('/dev/events', 'POST', table).kind).toBe('unknown-stage');
    expect(matchRoute('/', 'POST', table).kind).toBe('unknown-stage');
    expect(matchRoute('/prod/other', 'POST', table).kind).toBe('no-route');
    expect(matchRoute('/prod/events', 'GET', table).kind).toBe('no-route');
    expect(matchRoute('/prod', 'POST', table).kind).toBe('no-route');
  });
});
