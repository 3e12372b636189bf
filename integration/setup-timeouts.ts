// Cases wait on real HTTP and S3 round trips (on AWS, cold starts); hooks that deploy a stack
// pass their own, longer budget.
jest.setTimeout(60_000);
