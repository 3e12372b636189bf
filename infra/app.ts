// The CDK app (cdk.json "app"). Deploy with `npm run deploy:aws`, or into LocalStack with
// `npm run deploy:local` / `docker compose up`.
import { App } from 'aws-cdk-lib';
import { addPipelineStack } from './pipeline-app';

const app = new App();
addPipelineStack(app);
app.synth();
