import { needsPathStyle, normalizeEndpoint } from '../../localstack/endpoint';
import { localStackInvokeUrl } from '../../localstack/invoke-url';

const api = { apiId: 'a1b2c3d4e5', stage: 'prod', path: '/events' };

test('path style works from other containers (the compose producer)', () => {
  expect(localStackInvokeUrl({ endpoint: 'http://localstack:4566', ...api })).toBe(
    'http://localstack:4566/_aws/execute-api/a1b2c3d4e5/prod/events',
  );
});

test('path style from the host, whatever the endpoint spelling', () => {
  expect(localStackInvokeUrl({ endpoint: 'http://localhost:4566/', ...api, path: 'events' })).toBe(
    'http://localhost:4566/_aws/execute-api/a1b2c3d4e5/prod/events',
  );
});

test('host style uses the execute-api name under localhost.localstack.cloud, keeping the port', () => {
  expect(localStackInvokeUrl({ endpoint: 'http://localhost:4566', ...api, style: 'host' })).toBe(
    'http://a1b2c3d4e5.execute-api.localhost.localstack.cloud:4566/prod/events',
  );
  expect(localStackInvokeUrl({ endpoint: 'https://127.0.0.1:4510', ...api, style: 'host' })).toBe(
    'https://a1b2c3d4e5.execute-api.localhost.localstack.cloud:4510/prod/events',
  );
});

test('refuses ids and stages that would change the URL shape', () => {
  expect(() => localStackInvokeUrl({ endpoint: 'http://x:4566', ...api, apiId: '../x' })).toThrow(
    /not an API id/,
  );
  expect(() => localStackInvokeUrl({ endpoint: 'http://x:4566', ...api, stage: 'a/b' })).toThrow(
    /not a stage/,
  );
});

test('endpoints: origins only, http(s) only', () => {
  expect(normalizeEndpoint('http://localhost:4566/some/path')).toBe('http://localhost:4566');
  expect(() => normalizeEndpoint('localhost:4566')).toThrow(/http/);
  expect(() => normalizeEndpoint('not a url')).toThrow(/not a URL/);
});

test('path-style S3 everywhere except under localhost.localstack.cloud', () => {
  expect(needsPathStyle('http://localstack:4566')).toBe(true);
  expect(needsPathStyle('http://localhost:4566')).toBe(true);
  expect(needsPathStyle('http://127.0.0.1:4566')).toBe(true);
  expect(needsPathStyle('http://localhost.localstack.cloud:4566')).toBe(false);
  expect(needsPathStyle('https://s3.localhost.localstack.cloud:4566')).toBe(false);
  expect(needsPathStyle('http://evil-localhost.localstack.cloud.example:4566')).toBe(true);
});
