/**
 * AWS's published API rates, defined once (aws-facts/) for the reconciler's call budget and the simulated
 * account's throttling: the rows of docs/aws-facts.md say the same, and both users take them from here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API_GATEWAY_CREATE_API,
  API_GATEWAY_DOMAIN_NAME,
  API_RATE_LIMITS,
  ELBV2_ACCOUNT,
  ELBV2_REGISTRATION,
  ELBV2_RESOURCE_INTENSIVE,
  LAMBDA_GET_POLICY,
  EC2_UNFILTERED_DESCRIBE,
  ROUTE53_REQUESTS,
} from '../../aws-facts/api-rate-limits';
import { ACCOUNT_BUDGETS, ROUTE53_SHARE } from '../../reconciler/aws/rate-budget';
import { DOCUMENTED_LIMITS } from '../../aws-sim/core/rate-limits';
import { EC2_BUCKETS, UNFILTERED_BUCKET } from '../../aws-sim/services/ec2/buckets';

const facts = readFileSync(join(__dirname, '..', '..', 'docs', 'aws-facts.md'), 'utf8');
const row = (api: string): string => facts.split('\n').find((line) => line.startsWith(`| ${api} |`)) ?? '';
const size = (b: { capacity: number; refillPerSecond: number }) => `${b.capacity} / ${b.refillPerSecond}`;

describe("AWS's API rate limits", () => {
  it('are the figures docs/aws-facts.md gives', () => {
    expect(row('EC2 `Describe*` (filtered or paginated)')).toContain(size(API_RATE_LIMITS.ec2.read));
    expect(row('EC2 mutating (`CreateVpc`, `CreateSubnet`, …)')).toContain(size(API_RATE_LIMITS.ec2.write));
    expect(
      row('EC2 unfiltered `DescribeNetworkInterfaces` / `DescribeSecurityGroups` / `DescribeInstances`'),
    ).toContain(size(EC2_UNFILTERED_DESCRIBE));
    expect(row('ELBv2 `Describe*`')).toContain(size(API_RATE_LIMITS.elbv2.read));
    expect(row('ELBv2, every action')).toContain(size(ELBV2_ACCOUNT));
    expect(
      row(
        'ELBv2 mutating (`CreateListener`, `CreateTargetGroup`, `AddTags`, `ModifyTargetGroupAttributes`, `Delete*`, …)',
      ),
    ).toContain(size(API_RATE_LIMITS.elbv2.write));
    expect(row('ELBv2 resource-intensive (`CreateLoadBalancer`, `SetSubnets`)')).toContain(
      `${ELBV2_RESOURCE_INTENSIVE.capacity}, refilled ${ELBV2_RESOURCE_INTENSIVE.refillPerSecond} a second`,
    );
    expect(row('ELBv2 registration (`RegisterTargets`, `DeregisterTargets`)')).toContain(
      size(ELBV2_REGISTRATION),
    );
    expect(row('ECS `DescribeClusters`')).toContain(
      `burst ${API_RATE_LIMITS.ecs.read.capacity}, about ${API_RATE_LIMITS.ecs.read.refillPerSecond} sustained`,
    );
    expect(API_GATEWAY_CREATE_API.refillPerSecond).toBeCloseTo(1 / 3);
    expect(row('API Gateway control plane')).toContain(
      '`CreateDomainName`, `UpdateDomainName` and `DeleteDomainName` 1 per 30 s',
    );
    expect(API_GATEWAY_DOMAIN_NAME.refillPerSecond).toBeCloseTo(1 / 30);
    expect(row('API Gateway control plane, total')).toContain(size(API_RATE_LIMITS.apigatewayv2.read));
    expect(row('Lambda control plane')).toContain(size(API_RATE_LIMITS.lambda.read));
    expect(row('Lambda control plane')).toContain(
      `\`GetPolicy\` ${LAMBDA_GET_POLICY.refillPerSecond} a second`,
    );
    expect(row('Route 53, every request of the account')).toContain(size(ROUTE53_REQUESTS));
  });

  it('size both the reconciler budget and the simulated buckets', () => {
    // Per API action, as AWS throttles EC2.
    expect(ACCOUNT_BUDGETS.ec2).toEqual({
      read: API_RATE_LIMITS.ec2.read,
      write: API_RATE_LIMITS.ec2.write,
      perAction: true,
    });
    expect(ACCOUNT_BUDGETS.lambda?.read).toEqual(API_RATE_LIMITS.lambda.read);
    // One bucket for reads and changes, where AWS gives one rate for the control plane.
    expect(ACCOUNT_BUDGETS.lambda?.oneBucket).toBe(true);
    expect(DOCUMENTED_LIMITS.lambda?.buckets.describe).toEqual({
      ...API_RATE_LIMITS.lambda.read,
      scope: 'service',
    });
    expect(DOCUMENTED_LIMITS.lambda?.buckets.getPolicy).toEqual(LAMBDA_GET_POLICY);
    expect(EC2_BUCKETS.describe).toEqual({ ...API_RATE_LIMITS.ec2.read, scope: 'operation' });
    expect(UNFILTERED_BUCKET).toEqual(EC2_UNFILTERED_DESCRIBE);
    expect(DOCUMENTED_LIMITS.tagging?.buckets.describe).toEqual(API_RATE_LIMITS.tagging.read);
    expect(DOCUMENTED_LIMITS.route53?.buckets.all).toEqual(ROUTE53_REQUESTS);
  });

  it("keep the reconciler's Route 53 reads and changes together to a share of the account's one bucket", () => {
    const { read, write } = ACCOUNT_BUDGETS.route53!;
    expect(ROUTE53_SHARE).toBeLessThan(1);
    expect(read.capacity + write.capacity).toBe(ROUTE53_REQUESTS.capacity * ROUTE53_SHARE);
    expect(read.refillPerSecond + write.refillPerSecond).toBe(
      ROUTE53_REQUESTS.refillPerSecond * ROUTE53_SHARE,
    );
  });
});
