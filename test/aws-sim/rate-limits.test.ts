/**
 * The simulated account's rate limits: EC2's bucket per API action, ELBv2's one bucket for all its
 * describes, Lambda's and API Gateway's one bucket for reads and changes, and AWS's documented
 * account-wide limits (`rateLimits: 'documented'`) for the services that have none by default.
 */
import { GetApisCommand, UpdateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedAws } from '../../aws-sim';
import { DOCUMENTED_LIMITS } from '../../aws-sim/core/rate-limits';
import { ALL_SERVICES } from '../../aws-sim/services';

const throttled = (promise: Promise<unknown>) =>
  promise.then(
    () => false,
    (e: { name?: string }) => /Throttl|LimitExceeded|TooMany/.test(e.name ?? ''),
  );

async function burst(n: number, call: () => Promise<unknown>): Promise<number> {
  let refused = 0;
  for (let i = 0; i < n; i++) if (await throttled(call())) refused += 1;
  return refused;
}

/** An ELBv2 change of a target group that does not exist: TargetGroupNotFound, unless throttled first. */
const modifyGroup = (clients: ReturnType<typeof createSimulatedAws>['clients']) =>
  clients.elbv2.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1',
      Attributes: [],
    }),
  );

describe('simulated rate limits', () => {
  it('gives every EC2 API action its own bucket, as AWS documents', async () => {
    const { clients } = createSimulatedAws({ maxAttempts: 1 });
    expect(await burst(100, () => clients.ec2.send(new DescribeVpcsCommand({})))).toBe(0);
    expect(await throttled(clients.ec2.send(new DescribeVpcsCommand({})))).toBe(true);
    // DescribeSubnets is not charged for DescribeVpcs' calls.
    expect(await throttled(clients.ec2.send(new DescribeSubnetsCommand({})))).toBe(false);
  });

  it('charges every ELBv2 describe to one bucket, as AWS documents ("up to 40 Describe* requests in one second"), not to one per action', async () => {
    const { account, clients } = createSimulatedAws({ maxAttempts: 1 });
    const tags = () => clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [] }));
    expect(await burst(40, tags)).toBe(0);
    // DescribeTags' calls emptied the bucket DescribeLoadBalancers and DescribeTargetGroups take from.
    expect(await throttled(clients.elbv2.send(new DescribeLoadBalancersCommand({})))).toBe(true);
    expect(await throttled(clients.elbv2.send(new DescribeTargetGroupsCommand({})))).toBe(true);
    // Another service's bucket is not ELBv2's.
    expect(await throttled(clients.ec2.send(new DescribeVpcsCommand({})))).toBe(false);
    account.advance(1_000);
    expect(await burst(10, () => clients.elbv2.send(new DescribeLoadBalancersCommand({})))).toBe(0);
    expect(await throttled(clients.elbv2.send(new DescribeLoadBalancersCommand({})))).toBe(true);
  });

  it('charges every ELBv2 action to the account-level bucket as well, describes and changes alike (40 / 10)', async () => {
    const { clients } = createSimulatedAws({ maxAttempts: 1 });
    const tags = () => clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [] }));
    expect(await burst(40, tags)).toBe(0);
    // A change after 40 describes finds the account's bucket empty, though its own category's is full (it
    // answers TargetGroupNotFound otherwise: not a throttle).
    expect(await throttled(modifyGroup(clients))).toBe(true);
  });

  it('throttles ELBv2 changes at 20 / 3, and CreateLoadBalancer (resource-intensive) at 10, then one every 5 s', async () => {
    const { account, clients } = createSimulatedAws({ maxAttempts: 1 });
    expect(await burst(21, () => modifyGroup(clients))).toBe(1);
    account.advance(1_000);
    expect(await burst(4, () => modifyGroup(clients))).toBe(1);
    // CreateLoadBalancer has a bucket of its own category (it fails validation otherwise: no subnets).
    const create = (i: number) => clients.elbv2.send(new CreateLoadBalancerCommand({ Name: `lb-${i}` }));
    account.advance(10_000);
    let refused = 0;
    for (let i = 0; i < 11; i++) if (await throttled(create(i))) refused += 1;
    expect(refused).toBe(1);
    account.advance(5_000);
    expect(await throttled(create(11))).toBe(false);
    expect(await throttled(create(12))).toBe(true);
    // Describes still go: the account's bucket has tokens.
    expect(await throttled(clients.elbv2.send(new DescribeLoadBalancersCommand({})))).toBe(false);
  });

  it('charges API Gateway\'s reads and changes to one bucket, AWS\'s "total operations" of 10 a second, burst 40', async () => {
    const { clients } = createSimulatedAws({ maxAttempts: 1 });
    expect(await burst(40, () => clients.apigatewayv2.send(new GetApisCommand({})))).toBe(0);
    // A change after 40 reads finds the bucket empty (it answers NotFound otherwise: not a throttle).
    expect(
      await throttled(clients.apigatewayv2.send(new UpdateApiCommand({ ApiId: 'nope', Name: 'x' }))),
    ).toBe(true);
  });

  it('leaves the Tagging API and Lambda unlimited by default', async () => {
    const { clients } = createSimulatedAws({ maxAttempts: 1 });
    expect(await burst(50, () => clients.tagging.send(new GetResourcesCommand({})))).toBe(0);
    expect(await burst(50, () => clients.lambda.send(new ListFunctionsCommand({})))).toBe(0);
  });

  it('with documented limits: Lambda control plane 15 a second, GetFunction 100, the Tagging API 5', async () => {
    const { account, clients } = createSimulatedAws({ maxAttempts: 1, rateLimits: 'documented' });
    expect(await burst(20, () => clients.lambda.send(new ListFunctionsCommand({})))).toBe(5);
    // GetFunction has its own bucket (it answers ResourceNotFound: not a throttle).
    expect(await burst(100, () => clients.lambda.send(new GetFunctionCommand({ FunctionName: 'x' })))).toBe(
      0,
    );
    expect(await burst(8, () => clients.tagging.send(new GetResourcesCommand({})))).toBe(3);
    account.advance(1_000);
    expect(await burst(5, () => clients.tagging.send(new GetResourcesCommand({})))).toBe(0);
  });

  it("with documented limits: Lambda's reads and changes share the control plane's 15 a second; GetPolicy has its own 15", async () => {
    const { clients } = createSimulatedAws({ maxAttempts: 1, rateLimits: 'documented' });
    expect(await burst(15, () => clients.lambda.send(new ListFunctionsCommand({})))).toBe(0);
    // GetPolicy is not charged for the control plane's calls (it answers ResourceNotFound: not a throttle).
    expect(await burst(15, () => clients.lambda.send(new GetPolicyCommand({ FunctionName: 'x' })))).toBe(0);
    expect(await throttled(clients.lambda.send(new GetPolicyCommand({ FunctionName: 'x' })))).toBe(true);
    // A change takes from the bucket the reads emptied.
    expect(await throttled(clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'x' })))).toBe(true);
  });

  it('with documented limits: Route 53 as AWS documents it now, 50 requests at once for the account, then 10 a second', async () => {
    const { account, clients } = createSimulatedAws({ maxAttempts: 1, rateLimits: 'documented' });
    const list = () => clients.route53.send(new ListHostedZonesCommand({}));
    expect(await burst(51, list)).toBe(1);
    account.advance(1_000);
    expect(await burst(11, list)).toBe(1);
  });

  it('loads the buckets of an account saved by an earlier version, in the shape it saved them', async () => {
    const { account } = createSimulatedAws({ rateLimits: 'documented' });
    const saved = JSON.parse(JSON.stringify(account.toJSON())) as ReturnType<typeof account.toJSON>;
    // As .lambdaflex/sim.json holds a bucket: half a token left of the Tagging API's, at the save's time.
    saved.buckets['tagging:describe'] = { tokens: 0.5, updatedAt: saved.now };
    const file = join(mkdtempSync(join(tmpdir(), 'lambdaflex-buckets-')), 'sim.json');
    writeFileSync(file, JSON.stringify(saved));
    const loaded = createSimulatedAws({ maxAttempts: 1 });
    loaded.account.load(file);
    const tags = () => loaded.clients.tagging.send(new GetResourcesCommand({}));
    expect(await throttled(tags())).toBe(true);
    // Five a second: a tenth of a second brings the half token left to one.
    loaded.account.advance(100);
    expect(await throttled(tags())).toBe(false);
    expect(await throttled(tags())).toBe(true);
  });

  it('keeps documented limits across save and restore', async () => {
    const { account } = createSimulatedAws({ rateLimits: 'documented' });
    const copy = createSimulatedAws({ maxAttempts: 1 });
    copy.account.restore(account.toJSON());
    expect(await burst(8, () => copy.clients.tagging.send(new GetResourcesCommand({})))).toBe(3);
  });

  it("gives a service's buckets scoped 'service' one size: they are one bucket, one state under one key", () => {
    for (const service of ALL_SERVICES) {
      for (const buckets of [
        service.buckets,
        { ...service.buckets, ...DOCUMENTED_LIMITS[service.name]?.buckets },
      ]) {
        const sizes = Object.values(buckets)
          .filter((spec) => spec.scope === 'service')
          .map(({ capacity, refillPerSecond }) => `${service.name}: ${capacity} / ${refillPerSecond}`);
        // Two sizes on one key: the bucket would refill at whichever the call at hand names.
        expect(new Set(sizes).size > 1 ? sizes : []).toEqual([]);
      }
    }
  });
});
