/**
 * IAM policy documents as LambdaFlex writes and compares them. IAM hands documents back URL-encoded and
 * as written, so comparisons go through `parsePolicyDocument`, and trust policies are reduced to the set
 * of services allowed to assume the role (the only thing LambdaFlex varies).
 */
import { arnOf } from '../../aws/partition';

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Service?: string | string[] };
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** A trust policy that lets the given AWS services assume the role. */
export function trustPolicy(services: readonly string[]): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: [...services] }, Action: 'sts:AssumeRole' }],
  };
}

export function parsePolicyDocument(encoded: string | undefined): unknown {
  if (!encoded) return undefined;
  const text = encoded.trimStart().startsWith('{') ? encoded : decodeURIComponent(encoded);
  return JSON.parse(text);
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The services a trust policy allows to assume the role, sorted. */
export function trustedServices(encoded: string | undefined): string[] {
  const document = parsePolicyDocument(encoded) as
    { Statement?: PolicyStatement | PolicyStatement[] } | undefined;
  const services = new Set<string>();
  for (const statement of asList(document?.Statement)) {
    if (statement.Effect !== 'Allow' || !asList(statement.Action).includes('sts:AssumeRole')) continue;
    for (const service of asList(statement.Principal?.Service)) services.add(service);
  }
  return [...services].sort();
}

/**
 * The ARN of an AWS managed service-role policy, in the region's partition:
 * `arn:<partition>:iam::aws:policy/service-role/<name>`.
 */
export function awsManagedPolicyArn(region: string, name: string): string {
  return arnOf(region, 'iam', `policy/service-role/${name}`, { account: 'aws', global: true });
}

/** The last segment of a policy ARN: `AmazonECSTaskExecutionRolePolicy`. */
export function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
