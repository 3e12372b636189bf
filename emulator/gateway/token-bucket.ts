/** Usage-plan throttle settings: steady requests per second and bucket size. */
export interface ThrottleSettings {
  rateLimit: number;
  burstLimit: number;
}

/**
 * API Gateway's throttle algorithm: a bucket of `burstLimit` tokens refilled at `rateLimit` per
 * second; a request takes one token or is refused (429). The clock is injectable for unit tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(settings.rateLimit >= 0 && settings.burstLimit >= 0)) {
      throw new Error('throttle rateLimit and burstLimit must be numbers >= 0');
    }
    this.tokens = settings.burstLimit;
    this.last = this.now();
  }

  tryTake(): boolean {
    const now = this.now();
    const refill = ((now - this.last) / 1000) * this.settings.rateLimit;
    this.tokens = Math.min(this.settings.burstLimit, this.tokens + refill);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
