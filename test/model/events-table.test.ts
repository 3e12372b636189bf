import { pipelineDefinition } from '../../deployment/definition';
import {
  eventsTable,
  OLDEST_EPOCH,
  objectKeyFor,
  parseObjectKey,
  partitionOf,
  StoredRecordSchema,
} from '../../model';

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

  it('starts with the prefix the deployed shape uses', () => {
    expect(pipelineDefinition.storage.keyPrefix).toBe(eventsTable.keyPrefix);
    expect(objectKeyFor({ id, epoch: 1 }).startsWith(eventsTable.keyPrefix)).toBe(true);
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

describe('parseObjectKey', () => {
  it('reads back the partition and id of every key objectKeyFor makes', () => {
    for (const epoch of [OLDEST_EPOCH, 1_767_225_599, 1_780_000_000]) {
      expect(parseObjectKey(objectKeyFor({ id, epoch }))).toEqual({ ...partitionOf(epoch), id });
    }
  });

  it.each([
    'other/dt=2026-01-01/hour=00/x.json',
    'events/dt=2026-01-01/x.json',
    'events/dt=2026-01-01/hour=00/x.txt',
    'events/dt=2026-01-01/hour=00/deeper/x.json',
  ])('refuses %s', (key) => {
    expect(parseObjectKey(key)).toBeUndefined();
  });
});

describe('the table', () => {
  it('has one column per stored-record field, in the stored order', () => {
    expect(eventsTable.columns.map((c) => c.name)).toEqual(Object.keys(StoredRecordSchema.shape));
  });

  it('partitions by dt and hour, and starts on the day of the oldest epoch the contract accepts', () => {
    expect(eventsTable.partitionColumns.map((c) => c.name)).toEqual(['dt', 'hour']);
    expect(eventsTable.firstDt).toBe(partitionOf(OLDEST_EPOCH).dt);
    expect(partitionOf(OLDEST_EPOCH).hour).toBe('00');
  });
});
