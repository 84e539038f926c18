/**
 * What the load balancer, target group and listener kinds share: ELBv2's `[{ Key, Value }]` tags, the
 * one DescribeTags call that decides ownership, the one attribute each reads of a Describe…Attributes
 * answer, and the ARN suffixes CloudWatch and Application Auto
 * Scaling use to name a load balancer and a target group.
 */
import {
  DescribeTagsCommand,
  type ElasticLoadBalancingV2Client,
  type Tag,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ownershipTagList, TAG_NONCE } from '../../../spec';

/** The ownership tags, and the create's nonce when the engine journaled one (docs/ownership.md). */
export function elbv2Tags(stack: string, component: string, nonce?: string): Tag[] {
  return [
    ...ownershipTagList(stack, component),
    ...(nonce === undefined ? [] : [{ Key: TAG_NONCE, Value: nonce }]),
  ];
}

/** The tags of one ELBv2 resource as a record (empty when AWS returns none). */
export async function elbv2TagRecord(
  client: ElasticLoadBalancingV2Client,
  arn: string,
): Promise<Record<string, string>> {
  const answer = await client.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
  const tags = answer.TagDescriptions?.find((description) => description.ResourceArn === arn)?.Tags ?? [];
  return Object.fromEntries(
    tags.filter((tag) => tag.Key !== undefined).map((tag) => [tag.Key!, tag.Value ?? '']),
  );
}

/**
 * The value of one attribute in a DescribeLoadBalancerAttributes or DescribeTargetGroupAttributes answer
 * (undefined when AWS gives none).
 */
export function attributeValue(
  answer: { Attributes?: { Key?: string; Value?: string }[] },
  key: string,
): string | undefined {
  return answer.Attributes?.find((attribute) => attribute.Key === key)?.Value;
}

/**
 * The part of an ELBv2 ARN after its resource type, as CloudWatch dimensions and the
 * ALBRequestCountPerTarget resource label want it.
 *
 * @example
 * arnSuffix('arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lf-a-alb/50dc6c495c0c9188', 'loadbalancer/');
 * // 'app/lf-a-alb/50dc6c495c0c9188'
 */
export function arnSuffix(arn: string, resourceType: 'loadbalancer/' | 'targetgroup/'): string {
  const at = arn.indexOf(`:${resourceType}`);
  if (at < 0) throw new Error(`not an ELBv2 ${resourceType.slice(0, -1)} ARN: ${arn}`);
  // Load balancers: `app/<name>/<id>` without the type; target groups keep it: `targetgroup/<name>/<id>`.
  return resourceType === 'loadbalancer/' ? arn.slice(at + 1 + resourceType.length) : arn.slice(at + 1);
}
