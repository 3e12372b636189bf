import { TokenBucket } from '../../emulator/gateway/token-bucket';

describe('TokenBucket (usage-plan throttle)', () => {
  it('allows a burst, refuses past it, and refills at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ rateLimit: 2, burstLimit: 3 }, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now += 500; // 2 per second: one token back
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('never holds more than the burst', () => {
    let now = 0;
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 2 }, () => now);
    now += 60_000;
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });

  it('refuses every request with a zero burst', () => {
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 0 }, () => 0);
    expect(bucket.tryTake()).toBe(false);
  });
});
