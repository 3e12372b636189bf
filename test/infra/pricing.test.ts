import { pipelineDefinition } from '../../deployment/definition';
import { costPerMillionReadings, pricing } from '../../infra/pricing';

const memoryMB = pipelineDefinition.function.memoryMB;

test('one reading per request: API Gateway and S3 PUTs dominate', () => {
  const cost = costPerMillionReadings({ batchSize: 1, memoryMB: 512, durationMs: 40 });
  expect(cost.requests).toBe(1_000_000);
  expect(cost.apiGateway).toBeCloseTo(3.5, 6);
  expect(cost.lambdaRequests).toBeCloseTo(0.2, 6);
  // 1e6 invocations x 0.04 s x 0.5 GB x $0.0000133334
  expect(cost.lambdaDuration).toBeCloseTo(0.266668, 5);
  expect(cost.s3Put).toBeCloseTo(5, 6);
  expect(cost.s3Get).toBe(0);
  expect(cost.total).toBeCloseTo(8.966668, 5);
});

test('100 readings per request: S3 PUTs are nearly all of it', () => {
  const cost = costPerMillionReadings({ batchSize: 100, memoryMB, durationMs: 250 });
  expect(cost.requests).toBe(10_000);
  expect(cost.apiGateway).toBeCloseTo(0.035, 6);
  expect(cost.lambdaRequests).toBeCloseTo(0.002, 6);
  expect(cost.lambdaDuration).toBeCloseTo(10_000 * 0.25 * 0.5 * pricing.lambdaArmPerGbSecond, 8);
  expect(cost.total).toBeCloseTo(5.05367, 4);
});

test('retried readings whose key exists add a GET each; durations bill per started ms', () => {
  const base = costPerMillionReadings({ batchSize: 10, memoryMB: 1024, durationMs: 99.2 });
  const rounded = costPerMillionReadings({ batchSize: 10, memoryMB: 1024, durationMs: 100 });
  expect(base.lambdaDuration).toBeCloseTo(rounded.lambdaDuration, 10);
  const retried = costPerMillionReadings({
    batchSize: 10,
    memoryMB: 1024,
    durationMs: 100,
    existingKeyRatio: 0.1,
  });
  expect(retried.s3Get).toBeCloseTo(0.04, 6);
});

test('refuses nonsense assumptions', () => {
  expect(() => costPerMillionReadings({ batchSize: 0, memoryMB, durationMs: 1 })).toThrow(
    /batchSize/,
  );
  expect(() => costPerMillionReadings({ batchSize: 1.5, memoryMB, durationMs: 1 })).toThrow(
    /batchSize/,
  );
  expect(() => costPerMillionReadings({ batchSize: 1, memoryMB, durationMs: 0 })).toThrow(
    /positive/,
  );
});

test('prices state their region, date and source', () => {
  expect(pricing.region).toBe('us-east-1');
  expect(pricing.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(pricing.source).toMatch(/pricing/);
});
