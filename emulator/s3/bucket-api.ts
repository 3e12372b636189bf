/** Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation. */
import type { RequestContext } from './context';
import { sendEmpty, sendXml } from './http-response';
import { parentElement, textElement, xmlDocument } from './xml';

/** The emulator has one (fictitious) account; every request is made by it. */
export const OWNER = { id: 'emulator-owner', displayName: 'push-pipeline' } as const;
/** The only region of the emulator; HeadBucket reports it as S3 does. */
export const REGION = 'us-east-1';

export function ownerXml(): string {
  return parentElement(
    'Owner',
    textElement('ID', OWNER.id) + textElement('DisplayName', OWNER.displayName),
  );
}

export async function listBuckets(ctx: RequestContext): Promise<void> {
  const buckets = await ctx.buckets.list();
  const items = buckets
    .map((bucket) =>
      parentElement(
        'Bucket',
        textElement('Name', bucket.name) +
          textElement('CreationDate', bucket.creationDate.toISOString()) +
          textElement('BucketRegion', REGION),
      ),
    )
    .join('');
  sendXml(
    ctx.res,
    200,
    xmlDocument('ListAllMyBucketsResult', ownerXml() + parentElement('Buckets', items)),
  );
}

export async function createBucket(ctx: RequestContext, bucket: string): Promise<void> {
  ctx.acceptBody();
  ctx.req.resume(); // the optional CreateBucketConfiguration names a region; there is only one
  await ctx.buckets.create(bucket);
  sendEmpty(ctx.res, 200, { location: `/${bucket}` });
}

export async function headBucket(ctx: RequestContext, bucket: string): Promise<void> {
  await ctx.buckets.assertExists(bucket);
  sendEmpty(ctx.res, 200, { 'x-amz-bucket-region': REGION });
}

export async function deleteBucket(ctx: RequestContext, bucket: string): Promise<void> {
  await ctx.buckets.delete(bucket);
  sendEmpty(ctx.res, 204);
}

export async function getBucketLocation(ctx: RequestContext, bucket: string): Promise<void> {
  await ctx.buckets.assertExists(bucket);
  // us-east-1 is reported as an empty LocationConstraint.
  sendXml(ctx.res, 200, xmlDocument('LocationConstraint', ''));
}
