import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createTestApp } from './synth-app';

// The "no finding" tests elsewhere are only worth something if the checks really run at synth.
test('an unacknowledged finding fails the synth of the app as infra/app.ts builds it', () => {
  const testApp = createTestApp();
  try {
    new s3.Bucket(testApp.stack, 'Unchecked');
    const report = new AwsSolutionsChecks().validateScope(testApp.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']),
    );
    expect(() => testApp.app.synth()).toThrow(/AwsSolutions-S1/);
  } finally {
    testApp.dispose();
  }
});
