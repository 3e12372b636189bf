import {
  defaultLocalStackImage,
  localStackAuthToken,
  localStackEnvironment,
  localStackImage,
} from '../../localstack/image';

test('4.14.0 unless LOCALSTACK_IMAGE names another tag', () => {
  expect(localStackImage({})).toBe(defaultLocalStackImage);
  expect(localStackImage({ LOCALSTACK_IMAGE: ' ' })).toBe('localstack/localstack:4.14.0');
  expect(localStackImage({ LOCALSTACK_IMAGE: 'localstack/localstack:4.15' })).toBe(
    'localstack/localstack:4.15',
  );
});

test('the auth token only when set', () => {
  expect(localStackAuthToken({})).toBeUndefined();
  expect(localStackAuthToken({ LOCALSTACK_AUTH_TOKEN: '' })).toBeUndefined();
  expect(localStackAuthToken({ LOCALSTACK_AUTH_TOKEN: 'ls-abc' })).toBe('ls-abc');
});

test('runs the arm64 function on the host architecture; network and token when given', () => {
  expect(localStackEnvironment()).toEqual({
    LAMBDA_IGNORE_ARCHITECTURE: '1',
    LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT: '120',
  });
  expect(localStackEnvironment({ authToken: 't', lambdaNetwork: 'n' })).toMatchObject({
    LOCALSTACK_AUTH_TOKEN: 't',
    LAMBDA_DOCKER_NETWORK: 'n',
  });
});
