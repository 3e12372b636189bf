import { Faults } from '../../../emulator/faults/fault-control';
import { describeFault, FaultSpecError, parseFaultSpec } from '../../../emulator/faults/spec';
import { silentLogger } from '../../../emulator/log';

describe('fault specs', () => {
  it.each([
    ['s3.put:503@0.2', 'S3 PutObject answers 503 SlowDown on 20 % of calls'],
    ['s3.put:500#5', 'S3 PutObject answers 500 InternalError on the next 5 calls'],
    ['s3:200ms', 'every S3 object call is delayed 200 ms on every call'],
    ['s3.latency:1.5s', 'every S3 object call is delayed 1500 ms on every call'],
    ['s3.get:503@25%', 'S3 GetObject answers 503 SlowDown on 25 % of calls'],
    ['function:throw@0.1', 'the function throws before the handler runs on 10 % of calls'],
    [
      'function.after:exit#1',
      "the function's runtime exits after the handler returned (its result is lost) on the next call",
    ],
    [
      'function:timeout',
      'the function hangs until its timeout before the handler runs on every call',
    ],
    ['function.latency:50ms', 'the function starts 50 ms late on every call'],
    [
      'gateway:429#3',
      'the gateway answers 429 Too Many Requests without invoking the function on the next 3 calls',
    ],
    [
      'gateway.after:504@1',
      'the gateway answers 504 Endpoint request timed out after the function answered (its answer is lost) on 100 % of calls',
    ],
    [
      ' GATEWAY:502 ',
      'the gateway answers 502 Bad Gateway without invoking the function on every call',
    ],
  ])('%s: %s', (spec, description) => {
    expect(describeFault(parseFaultSpec(spec))).toBe(description);
  });

  it.each([
    ['s3.put', /expected <where>:<effect>/],
    ['s3.copy:503', /unknown S3 operation "copy"/],
    ['lambda:throw', /unknown place "lambda"/],
    ['s3.put:504', /s3 takes the status 500, 503 or a latency, not "504"/],
    ['gateway:503', /gateway takes the status 429, 500, 502, 504 or a latency, not "503"/],
    ['gateway.after:429', /gateway.after takes the status 500, 502, 504, not "429"/],
    ['function:crash', /function takes throw, timeout, exit or a latency, not "crash"/],
    ['function.after:100ms', /function.after takes no latency/],
    ['s3.latency:503', /a duration is a number with ms or s/],
    ['s3:0ms', /more than 0 and at most 10 minutes/],
    ['s3.put:503@1.5', /the fraction after @ is a number from 0 to 1/],
    ['s3.put:503@0', /more than 0 and at most 1/],
    ['s3.put:503#0', /the count after # is a whole number of calls >= 1/],
    ['s3.put:503#2.5', /the count after # is a whole number/],
  ])('%s is refused: %s', (spec, problem) => {
    const error = (() => {
      try {
        parseFaultSpec(spec);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FaultSpecError);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toContain(`bad fault spec "${spec.trim()}"`);
  });
});

describe('the fault registry', () => {
  it('fires #N faults N times, then lists them spent; fractions follow the random source', () => {
    const rolls = [0.1, 0.9, 0.1];
    const faults = new Faults(silentLogger, () => rolls.shift() ?? 1);
    const counted = faults.add('s3.put:500#2');
    const sometimes = faults.add('gateway:429@0.5');
    const put = () => faults.draw({ service: 's3', operation: 'put' }, 'PutObject b/k').effect;
    expect([put(), put(), put()]).toEqual([
      { kind: 'status', status: 500 },
      { kind: 'status', status: 500 },
      undefined,
    ]);
    const gateway = () => faults.draw({ service: 'gateway', phase: 'before' }, 'POST /prod/events');
    expect([gateway().effect, gateway().effect, gateway().effect]).toEqual([
      { kind: 'status', status: 429 },
      undefined,
      { kind: 'status', status: 429 },
    ]);
    expect(faults.list()).toEqual([
      { ...counted, injected: 2, remaining: 0 },
      { ...sometimes, injected: 2 },
    ]);
    // A get is not a put; the gateway's 'after' phase is not 'before'.
    expect(
      faults.draw({ service: 's3', operation: 'get' }, 'GetObject b/k').effect,
    ).toBeUndefined();
  });

  it('adds up latencies, lets the first error fault decide, and logs each injection', () => {
    const lines: string[] = [];
    const logger = {
      ...silentLogger,
      warn: (l: string) => lines.push(l),
      debug: (l: string) => lines.push(l),
    };
    const faults = new Faults(logger);
    faults.add('s3:100ms');
    faults.add('s3.put:30ms');
    faults.add('s3.put:503');
    faults.add('s3:500');
    const draw = faults.draw({ service: 's3', operation: 'put' }, 'PutObject b/k');
    expect(draw).toEqual({
      delayMs: 130,
      effect: { kind: 'status', status: 503 },
      by: 'fault f3 (s3.put:503)',
    });
    expect(lines).toEqual([
      'fault f1 injected (s3:100ms): PutObject b/k: every S3 object call is delayed 100 ms',
      'fault f2 injected (s3.put:30ms): PutObject b/k: S3 PutObject is delayed 30 ms',
      'fault f3 injected (s3.put:503): PutObject b/k: S3 PutObject answers 503 SlowDown',
    ]);
    expect(faults.remove('f3')).toBe(true);
    expect(faults.remove('f3')).toBe(false);
    expect(faults.draw({ service: 's3', operation: 'put' }, 'PutObject b/k').effect).toEqual({
      kind: 'status',
      status: 500,
    });
    faults.clear();
    expect(faults.list()).toEqual([]);
    expect(faults.draw({ service: 's3', operation: 'put' }, 'PutObject b/k')).toMatchObject({
      delayMs: 0,
      effect: undefined,
    });
  });
});
