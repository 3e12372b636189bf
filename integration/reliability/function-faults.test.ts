/**
 * A function that throws gives 502, one that hangs gives 504; the producer retries both, and no
 * acknowledged reading is lost or stored twice, also when the fault strikes after the readings
 * were stored (the retry then finds them as duplicates). Faults are set through the emulator's
 * control endpoint, on the real handler; counted (#N), so each case knows how many strike.
 */
import { addFault, startEmbedded } from '../support/embedded';
import { produceAndVerify } from '../support/produce';

describe.each([
  ['throws', 'throw#4', '502'],
  ['hangs', 'timeout#2', '504'],
])('a function that %s', (_name, effect, status) => {
  it.each(['function', 'function.after'])(
    `answers ${status} (fault %s:${effect}) and loses nothing`,
    async (where) => {
      const run = await startEmbedded({
        // Lambda goes on running a hung function past the gateway's 504 until its own timeout.
        // Both are seconds, not fractions of one: a cold start on a loaded machine must fit
        // in the gateway's timeout, or healthy requests would time out too.
        integrationTimeoutMs: 4000,
        functionTimeoutMs: 5000,
        concurrency: 2,
      });
      try {
        await addFault(run.pipeline, `${where}:${effect}`);
        const { summary, verdict } = await produceAndVerify(run.pipeline, {
          nEvents: 30,
          nWorkers: 3,
          maxRetries: 15,
          retryMaxDelayMs: 200,
          timeoutMs: 15_000,
        });
        const struck = Number(effect.split('#')[1]);
        expect(summary.statuses[status]).toBeGreaterThanOrEqual(struck);
        expect(summary).toMatchObject({ sent: 30, acked: 30, failed: 0 });
        if (where === 'function.after') expect(summary.duplicates).toBeGreaterThan(0);
        expect(verdict).toMatchObject({ expected: 30, verified: 30, ok: true, otherObjects: 0 });
        expect(run.pipeline.faults.list()).toMatchObject([{ injected: struck, remaining: 0 }]);
      } finally {
        await run.dispose();
      }
    },
  );
});

/**
 * A broken deployment (the function's bucket does not exist): the function answers 500 with the
 * code StorageRejected, and the producer reports it at once instead of retrying what cannot heal.
 */
it('a function whose bucket is missing answers 500 StorageRejected, which the producer does not retry', async () => {
  const run = await startEmbedded({ environment: { BUCKET_NAME: 'no-such-bucket' } });
  try {
    const { summary } = await produceAndVerify(run.pipeline, {
      nEvents: 3,
      nWorkers: 1,
      maxRetries: 5,
    });
    expect(summary).toMatchObject({ sent: 3, acked: 0, failed: 3, requests: 3, retries: 0 });
    expect(summary.statuses).toEqual({ '500': 3 });
    expect(Object.keys(summary.failedByReason)).toEqual([
      expect.stringMatching(/^500 Storage refused the write; the deployment needs attention/),
    ]);
  } finally {
    await run.dispose();
  }
});
