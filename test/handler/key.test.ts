import { objectKeyFor } from '../../handler/core/key';
import { pipelineDefinition } from '../../pipeline/definition';

const id = '3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f';

describe('objectKeyFor', () => {
  it.each([
    [1_780_000_000, 'events/dt=2026-05-28/hour=20/'],
    [1_767_225_599, 'events/dt=2025-12-31/hour=23/'],
    [1_767_225_600, 'events/dt=2026-01-01/hour=00/'],
    [1, 'events/dt=1970-01-01/hour=00/'],
  ])('places epoch %p under %s (UTC partitions)', (epoch, prefix) => {
    expect(objectKeyFor({ id, epoch })).toBe(`${prefix}${id}.json`);
  });

  it('starts with the prefix of pipeline/definition.ts', () => {
    expect(objectKeyFor({ id, epoch: 1 }).startsWith(pipelineDefinition.storage.keyPrefix)).toBe(
      true,
    );
  });

  it('is the same for the same reading whenever it is computed (retries land on one key)', () => {
    expect(objectKeyFor({ id, epoch: 1_780_000_000 })).toBe(
      objectKeyFor({ id, epoch: 1_780_000_000 }),
    );
    expect(objectKeyFor({ id, epoch: 1_780_000_000 })).not.toBe(
      objectKeyFor({ id, epoch: 1_780_003_600 }),
    );
  });
});
