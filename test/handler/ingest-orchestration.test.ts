// The orchestration rules of ingestReadings with an in-memory ReadingStore (the store interface,
// not the AWS SDK): it can fail exactly the N-th write and count writes in flight, which the real
// endpoint cannot do on cue. The same flows against the real S3 endpoint are in ingest.test.ts.
import { setImmediate as nextTick } from 'node:timers/promises';
import { ingestReadings, WRITE_CONCURRENCY } from '../../handler/ingest';
import {
  type PutOutcome,
  type ReadingStore,
  StorageUnavailableError,
} from '../../handler/store/reading-store';
import { isSameReading, type Reading, type StoredRecord } from '../../model';

const clock = () => new Date('2026-06-01T12:00:00Z');
const reading = (n: number, over: Partial<Reading> = {}): Reading => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  sensor_id: '6f1c2a4e-8b3d-4c5e-9a7f-1e2d3c4b5a60',
  temperature: 20 + (n % 10),
  epoch: 1_780_000_000 + n,
  ...over,
});

class MemoryStore implements ReadingStore {
  readonly objects = new Map<string, StoredRecord>();
  inFlight = 0;
  maxInFlight = 0;
  calls = 0;
  constructor(private readonly failAtCall?: number) {}

  async putIfAbsent(key: string, record: StoredRecord): Promise<PutOutcome> {
    this.calls += 1;
    const call = this.calls;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await nextTick();
      if (call === this.failAtCall) throw new StorageUnavailableError('SlowDown');
      const existing = this.objects.get(key);
      if (!existing) {
        this.objects.set(key, record);
        return 'stored';
      }
      return isSameReading(existing, record) ? 'duplicate' : 'conflict';
    } finally {
      this.inFlight -= 1;
    }
  }
}

describe('ingestReadings (orchestration)', () => {
  it(`keeps at most ${WRITE_CONCURRENCY} writes in flight`, async () => {
    const store = new MemoryStore();
    const readings = Array.from({ length: 200 }, (_, i) => reading(i));
    const outcome = await ingestReadings(readings, { store, clock });
    expect(outcome).toMatchObject({ kind: 'done', accepted: 200, duplicates: 0 });
    expect(store.maxInFlight).toBe(WRITE_CONCURRENCY);
  });

  it('starts no more writes once storage fails, and reports the failure', async () => {
    const store = new MemoryStore(20);
    const readings = Array.from({ length: 200 }, (_, i) => reading(i));
    const outcome = await ingestReadings(readings, { store, clock });
    expect(outcome).toEqual({ kind: 'storage-failed', error: expect.any(StorageUnavailableError) });
    // Writes already started finish; none start after the failure.
    expect(store.calls).toBeLessThan(20 + WRITE_CONCURRENCY);
  });

  it('rethrows what is not a storage error (a bug, not an outage)', async () => {
    const store: ReadingStore = {
      putIfAbsent: async () => {
        throw new TypeError('boom');
      },
    };
    await expect(ingestReadings([reading(1)], { store, clock })).rejects.toThrow('boom');
  });

  it('writes a reading repeated in the request once and counts the repeats as duplicates', async () => {
    const store = new MemoryStore();
    const outcome = await ingestReadings([reading(1), reading(2), reading(1), reading(1)], {
      store,
      clock,
    });
    expect(store.calls).toBe(2);
    expect(outcome).toMatchObject({ kind: 'done', accepted: 2, duplicates: 2, conflicts: [] });
    expect(outcome.kind === 'done' && outcome.keys).toHaveLength(2);
  });

  it('stores the non-conflicting readings and lists every conflicting index', async () => {
    const store = new MemoryStore();
    await ingestReadings([reading(1), reading(3)], { store, clock });
    const outcome = await ingestReadings(
      [reading(3, { temperature: 99 }), reading(2), reading(1), reading(3, { temperature: 99 })],
      { store, clock },
    );
    expect(outcome).toMatchObject({
      kind: 'done',
      accepted: 1,
      duplicates: 1,
      conflicts: [
        { index: 0, id: reading(3).id },
        { index: 3, id: reading(3).id },
      ],
    });
    expect(outcome.kind === 'done' && outcome.keys.map((k) => k.slice(-41, -5))).toEqual([
      reading(2).id,
      reading(1).id,
    ]);
  });

  it('stamps ingested_at from the clock it is given', async () => {
    const store = new MemoryStore();
    await ingestReadings([reading(1)], { store, clock });
    expect([...store.objects.values()][0]?.ingested_at).toBe('2026-06-01T12:00:00.000Z');
  });
});
