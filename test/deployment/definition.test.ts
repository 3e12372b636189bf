import { pipelineDefinition } from '../../deployment/definition';

// The usage plan's numbers follow from the capacity they are sized to (see definition.ts); these
// checks keep them in step when someone changes one of them.
const { capacity, api } = pipelineDefinition;

test('the steady rate is what the expected function instances serve at the assumed request time', () => {
  expect(api.throttle.rateLimit * capacity.requestSeconds).toBeLessThanOrEqual(
    capacity.expectedConcurrency,
  );
  expect(api.throttle.rateLimit).toBeGreaterThan(0);
});

test('a burst never asks for more instances than are expected, so it meets 429s, not 500s', () => {
  expect(api.throttle.burstLimit).toBeLessThanOrEqual(capacity.expectedConcurrency);
  expect(api.throttle.burstLimit).toBeGreaterThanOrEqual(1);
});

test('one-reading requests at the full rate stay well under S3 PUTs per prefix', () => {
  expect(api.throttle.rateLimit).toBeLessThan(capacity.s3PutsPerSecondPerPrefix);
});

test('a daily quota caps a key below what the rate alone would allow', () => {
  expect(api.quota.period).toBe('DAY');
  expect(api.quota.limit).toBeGreaterThan(0);
  expect(api.quota.limit).toBeLessThan(api.throttle.rateLimit * 86_400);
});
