import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { pipelineDefinition } from '../../deployment/definition';
import { createTestApp, type TestApp } from './synth-app';

// The one synth that really bundles the handler with local esbuild, as `cdk deploy` does.
let testApp: TestApp;
let assetDir: string;

beforeAll(() => {
  testApp = createTestApp({ bundle: true });
  const assembly = testApp.app.synth();
  const fn = Object.values(
    Template.fromStack(testApp.stack).findResources('AWS::Lambda::Function'),
  )[0];
  const key = String(fn?.Properties.Code.S3Key);
  const hash = key.replace(/\.zip$/, '');
  assetDir = path.join(assembly.directory, `asset.${hash}`);
}, 60_000);
afterAll(() => testApp.dispose());

test('produces a minified index.js under 1 MB with its source map', () => {
  const bundle = path.join(assetDir, 'index.js');
  expect(existsSync(bundle)).toBe(true);
  expect(existsSync(`${bundle}.map`)).toBe(true);
  const bytes = statSync(bundle).size;
  expect(bytes).toBeGreaterThan(10_000);
  expect(bytes).toBeLessThan(1024 * 1024);
  // Minified: long lines (only template literals keep their line breaks).
  const lines = readFileSync(bundle, 'utf8').split('\n').length;
  expect(bytes / lines).toBeGreaterThan(2000);
});

test('bundles the AWS SDK instead of requiring it from the runtime', () => {
  const code = readFileSync(path.join(assetDir, 'index.js'), 'utf8');
  const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? ''));
  // Node built-ins only, plus the SDK's optional CRT signer, which it loads in a try/catch
  // for SigV4a (multi-region access points), unused here.
  const external = [...required].filter((id) => !isBuiltin(id));
  expect(external).toEqual(['@aws-sdk/signature-v4-crt']);
  expect(code.includes('"@aws-sdk/client-s3"')).toBe(true);
});

test('exports the definition handler from index.js (Lambda handler index.handler)', () => {
  const loaded: Record<string, unknown> = require(path.join(assetDir, 'index.js'));
  expect(typeof loaded[pipelineDefinition.function.exportName]).toBe('function');
});
