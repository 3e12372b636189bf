import { Template } from 'aws-cdk-lib/assertions';
import { lambdaArchitecture } from '../../infra/ingest-function';
import { createTestApp } from './synth-app';

/** The function's Architectures in a synthesized template, for the given app context. */
function architecturesWith(context: Record<string, unknown>): unknown {
  const testApp = createTestApp({ environmentKind: 'aws', context });
  try {
    const functions = Template.fromStack(testApp.stack).findResources('AWS::Lambda::Function');
    const [only] = Object.values(functions);
    return only?.Properties?.Architectures;
  } finally {
    testApp.dispose();
  }
}

test('arm64 unless the architecture context says otherwise', () => {
  expect(architecturesWith({})).toEqual(['arm64']);
});

test('-c architecture=x86_64 deploys the function on x86_64', () => {
  expect(architecturesWith({ architecture: 'x86_64' })).toEqual(['x86_64']);
});

test('an unknown architecture fails the synth, naming the choices and the flag', () => {
  expect(() => architecturesWith({ architecture: 'amd64' })).toThrow(
    /unknown Lambda architecture "amd64"; use arm64 \(the default\) or x86_64, e\.g\. -c architecture=x86_64/,
  );
  expect(lambdaArchitecture('arm64').name).toBe('arm64');
});
