import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentKind } from './environment-kind';

/** What every bucket of the stack is: private, encrypted, TLS-only, owned by the account. */
export const privateBucketProps = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
} as const satisfies s3.BucketProps;

export interface EventsBucketProps {
  readonly environmentKind: EnvironmentKind;
  /** Days a replaced or deleted object version is kept (versioning guards against bugs). */
  readonly noncurrentVersionDays?: number;
}

/** The bucket the function writes readings to: private, encrypted, TLS-only, versioned. */
export class EventsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EventsBucketProps) {
    super(scope, id);
    const local = props.environmentKind === 'local';
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucketProps,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Readings are the product: a deployed bucket outlives its stack unless it is a local/dev one.
      removalPolicy: local ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: local,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the pipeline function writes here, and its log records each key it stores; S3 server ' +
        'access logs would need a second bucket per deployment. Use CloudTrail S3 data events for an audit trail.',
    });
  }
}
