/**
 * The partition a region belongs to, and the ARNs and host names built from it. AWS's regions are grouped
 * in partitions (`aws`, `aws-cn` for Beijing and Ningxia, `aws-us-gov` for GovCloud); an ARN names its
 * partition (`arn:aws-cn:ec2:cn-north-1:…`), and the China regions' endpoints end in `amazonaws.com.cn`.
 * Every ARN LambdaFlex builds itself goes through `arnOf`, so that none hard-codes `arn:aws:`.
 *
 * @example
 * arnOf('cn-north-1', 'apigateway', '/apis/a1b2c3'); // 'arn:aws-cn:apigateway:cn-north-1::/apis/a1b2c3'
 * arnOf('us-gov-west-1', 'iam', 'policy/x', { account: 'aws', global: true }); // 'arn:aws-us-gov:iam::aws:policy/x'
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The domain AWS's endpoints (and names such as an API's execute-api host) end in. */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

export interface ArnOptions {
  /** The account field: empty for API Gateway's ARNs, `aws` for AWS managed policies. */
  account?: string;
  /** Global resources (IAM, Route 53) leave the region field empty, but still carry the partition. */
  global?: boolean;
}

export function arnOf(region: string, service: string, resource: string, options: ArnOptions = {}): string {
  const regionField = options.global ? '' : region;
  return `arn:${partitionOf(region)}:${service}:${regionField}:${options.account ?? ''}:${resource}`;
}
