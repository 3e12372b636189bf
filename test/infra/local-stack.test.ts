import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pipelineDefinition } from '../../deployment/definition';
import { createTestApp, type TestApp } from './synth-app';

// environmentKind 'local' (LocalStack, dev accounts) as `-c environmentKind=local` selects it.
let testApp: TestApp;
let template: Template;

beforeAll(() => {
  testApp = createTestApp({ context: { environmentKind: 'local' } });
  testApp.app.synth();
  template = Template.fromStack(testApp.stack);
});
afterAll(() => testApp.dispose());

test('context environmentKind=local selects the local variant', () => {
  expect(testApp.stack.environmentKind).toBe('local');
});

test('the bucket and its objects are deleted with the stack', () => {
  template.hasResource('AWS::S3::Bucket', {
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
  });
  template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
});

test('the function uses path-style S3 addressing on the emulator', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Handler: `index.${pipelineDefinition.function.exportName}`,
    Environment: { Variables: Match.objectLike({ AWS_S3_FORCE_PATH_STYLE: '1' }) },
  });
});

test('no Glue resources (LocalStack without a token has no Glue/Athena)', () => {
  template.resourceCountIs('AWS::Glue::Database', 0);
  template.resourceCountIs('AWS::Glue::Table', 0);
});

test('cdk-nag finds nothing unacknowledged in the local variant either', () => {
  expect(new AwsSolutionsChecks().validateScope(testApp.stack).violations).toEqual([]);
});
