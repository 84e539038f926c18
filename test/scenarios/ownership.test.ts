/**
 * Ownership against the simulated AWS: a create whose answer was lost is not made twice, even when the
 * next pass comes at once (before EC2's eventual consistency shows it); a resource that only carries
 * copied tags is someone else's, reported and never touched.
 */
import { CreateApiCommand, GetApiCommand, UntagResourceCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { FARGATE_TIER_RESOURCES, LAMBDA_TIER_RESOURCES } from '../../reconciler/resources';
import {
  byType,
  exampleDns,
  exampleZoneId,
  scenario as fullScenario,
  specInput,
  STACK,
  type ScenarioOptions,
} from './harness';
import { vpcWithCopiedTags } from './copied-tags';

const scenario = (options: ScenarioOptions = {}) =>
  fullScenario({ kinds: FARGATE_TIER_RESOURCES, ...options });

type Scenario = ReturnType<typeof scenario>;

const count = (s: Scenario, type: string) => s.owned().filter((item) => item.type === type).length;

/** Passes (a schedule's apart) until one dies right after `operation`. */
async function crashAfter(s: Scenario, operation: string): Promise<void> {
  s.account.setFaults({ crashAfterOperation: operation });
  for (let i = 0; i < 50; i++) {
    if ((await s.pass()) === 'crashed') return;
    s.account.advance(15_000);
  }
  throw new Error(`no pass called ${operation}`);
}

describe('scenario: a create whose answer was lost', () => {
  it.each([
    ['CreateVpc', 'AWS::EC2::VPC'],
    ['CreateSubnet', 'AWS::EC2::Subnet'],
    ['CreateInternetGateway', 'AWS::EC2::InternetGateway'],
    ['CreateRouteTable', 'AWS::EC2::RouteTable'],
    ['CreateSecurityGroup', 'AWS::EC2::SecurityGroup'],
  ])(
    'a crash right after %s, the next pass at the same instant: still one of each',
    async (operation, type) => {
      const s = scenario({ afterCrashMs: 0 });
      await s.apply(specInput({ mode: 'fargate' }));
      await crashAfter(s, operation);
      const passes = await s.settle();
      expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
      const wanted = type === 'AWS::EC2::Subnet' ? 2 : type === 'AWS::EC2::SecurityGroup' ? 2 : 1;
      expect(count(s, type)).toBe(wanted);

      await s.apply(specInput({ mode: 'lambda' }));
      await s.settle();
      expect(byType(s.owned())).not.toHaveProperty(type);
    },
  );

  it('a VPC that shows only after minutes is waited for, not made again', async () => {
    const s = scenario({ afterCrashMs: 0, consistencyDelayMs: 150_000 });
    await s.apply(specInput({ mode: 'fargate' }));
    await crashAfter(s, 'CreateVpc');
    // The next pass, at once, waits for the VPC and says so in the status `status --json` prints.
    await s.pass();
    const waiting = (await s.store.get(STACK))!.status!;
    expect(waiting.pendingCreates).toContainEqual(
      expect.objectContaining({ key: 'vpc', until: expect.any(Number) }),
    );
    expect(count(s, 'AWS::EC2::VPC')).toBe(1);
    await s.settle();
    expect(count(s, 'AWS::EC2::VPC')).toBe(1);
    expect((await s.store.get(STACK))!.status!.pendingCreates).toBeUndefined();
    const record = await s.store.get(STACK);
    expect(record!.bookkeeping.intents ?? {}).toEqual({});
  });
});

describe('scenario: a resource with copied tags', () => {
  it('a VPC made by hand with the stack’s three ownership tags is neither adopted nor deleted', async () => {
    const s = scenario();
    const foreignId = await vpcWithCopiedTags(s.clients.ec2, '10.9.0.0/16');
    s.account.advance(5_000);

    await s.apply(specInput({ mode: 'fargate' }));
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const record = await s.store.get(STACK);
    expect(record!.status!.resources.vpc.id).not.toBe(foreignId);
    const conflict = record!.status!.conditions.find((c) => c.type === 'Conflict');
    expect(conflict).toMatchObject({ status: 'True', reason: 'ForeignResource' });
    expect(conflict!.message).toContain(foreignId);
    expect(record!.status!.conflicts).toEqual([
      expect.objectContaining({ key: 'vpc', id: foreignId, kind: 'AWS::EC2::VPC' }),
    ]);

    await s.store.requestDelete(STACK);
    const deleted = await s.settle();
    expect(deleted.at(-1)).toMatchObject({ outcome: 'deleted' });
    const vpcs = await s.clients.ec2.send(new DescribeVpcsCommand({ VpcIds: [foreignId] }));
    expect(vpcs.Vpcs?.map((v) => v.VpcId)).toEqual([foreignId]);
    expect(s.owned().map((item) => item.id)).toEqual([foreignId]);
  });
});

describe('scenario: garbage collection', () => {
  it('deletes the stack’s extra VPC left by a version without intents, keeping the one in use', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const inUse = (await s.store.get(STACK))!.status!.resources.vpc.id;
    // What an older version left after a crash: a second VPC with the stack's tags and no nonce, and a
    // record that never recorded ownership (nor an incarnation, which came later).
    await vpcWithCopiedTags(s.clients.ec2, '10.42.0.0/16');
    const record = (await s.store.get(STACK))!;
    const { owned: _notRecordedThen, ...bookkeeping } = record.bookkeeping;
    const { incarnation: _notMadeThen, ...fromBefore } = record;
    s.store.importRecords([{ ...fromBefore, bookkeeping }]);
    s.account.advance(60_000);

    const passes = await s.settle();
    expect(passes[0]!.plan!.steps.map((step) => step.id)).toEqual([
      expect.stringMatching(/^delete:vpc@vpc-/),
    ]);
    expect(count(s, 'AWS::EC2::VPC')).toBe(1);
    expect(s.owned().find((item) => item.type === 'AWS::EC2::VPC')?.id).toBe(inUse);
    expect((await s.store.get(STACK))!.bookkeeping.owned?.vpc?.id).toBe(inUse);
  });

  it('removes the reserved concurrency when the spec no longer asks for it', async () => {
    const s = fullScenario({ kinds: LAMBDA_TIER_RESOURCES });
    await s.apply(specInput({ mode: 'lambda', lambda: { memoryMb: 512, reservedConcurrency: 5 } }));
    await s.settle();
    const functionName = (await s.store.get(STACK))!.status!.resources['lambda-function'].id;
    const before = await s.clients.lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
    );
    expect(before.ReservedConcurrentExecutions).toBe(5);
    await s.apply(specInput({ mode: 'lambda', lambda: { memoryMb: 512 } }));
    await s.settle();
    const after = await s.clients.lambda.send(
      new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
    );
    expect(after.ReservedConcurrentExecutions).toBeUndefined();
  });
});

describe('scenario: the HTTP API found by the id the stack recorded', () => {
  const OWN_TAGS = {
    'lambdaflex:stack': STACK,
    'lambdaflex:component': 'http-api',
    'lambdaflex:managed-by': 'lambdaflex',
  };
  /** A Lambda-tier stack settled in an account holding 60 other APIs, then past its snapshot's age. */
  async function settledAmongOthers() {
    const s = fullScenario({ kinds: LAMBDA_TIER_RESOURCES });
    for (let i = 0; i < 60; i++) {
      await s.clients.apigatewayv2.send(new CreateApiCommand({ Name: `team-${i}`, ProtocolType: 'HTTP' }));
      // CreateApi's own rate: one call every 3 s (docs/aws-facts.md).
      s.account.advance(3_000);
    }
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    const apiId = (await s.store.get(STACK))!.status!.resources['http-api']!.id;
    s.account.advance(16 * 60_000);
    return { s, apiId };
  }

  it('a full observation asks for the recorded API alone instead of listing the account', async () => {
    const { s } = await settledAmongOthers();
    const result = await s.pass();
    if (result === 'crashed') throw new Error('no crash was planned');
    expect(result).toMatchObject({ settled: true });
    expect(result.calls.byOperation['apigatewayv2:GetApi']).toBe(1);
    expect(result.calls.byOperation['apigatewayv2:GetApis']).toBeUndefined();
  });

  it('the API at the recorded id without the stack’s tags is a conflict, never used, changed or deleted', async () => {
    const { s, apiId } = await settledAmongOthers();
    await s.clients.apigatewayv2.send(
      new UntagResourceCommand({
        ResourceArn: `arn:aws:apigateway:us-east-1::/apis/${apiId}`,
        TagKeys: Object.keys(OWN_TAGS),
      }),
    );
    const result = await s.pass();
    if (result === 'crashed') throw new Error('no crash was planned');
    expect(result.calls.mutating).toBe(0);
    const status = (await s.store.get(STACK))!.status!;
    expect(status.conflicts).toContainEqual(
      expect.objectContaining({ key: 'http-api', reason: expect.stringContaining(apiId) }),
    );
    expect(status.conditions.find((c) => c.type === 'Conflict')).toMatchObject({ status: 'True' });

    // The stack builds its own API beside it, and deleting the stack leaves the untagged one alone.
    await s.settle();
    expect((await s.store.get(STACK))!.status!.resources['http-api']!.id).not.toBe(apiId);
    await s.store.requestDelete(STACK);
    expect((await s.settle()).at(-1)).toMatchObject({ outcome: 'deleted' });
    const kept = await s.clients.apigatewayv2.send(new GetApiCommand({ ApiId: apiId }));
    expect(kept).toMatchObject({ ApiId: apiId, Name: 'lf-orders-api-api' });
  });

  it('an API made by hand with the stack’s tags later is reported at the next full observation', async () => {
    const { s, apiId } = await settledAmongOthers();
    s.account.advance(3_000);
    const copy = await s.clients.apigatewayv2.send(
      new CreateApiCommand({ Name: 'lf-orders-api-api', ProtocolType: 'HTTP', Tags: OWN_TAGS }),
    );
    s.account.advance(16 * 60_000);
    await s.pass();
    const status = (await s.store.get(STACK))!.status!;
    expect(status.resources['http-api']!.id).toBe(apiId);
    expect(status.conflicts).toContainEqual(expect.objectContaining({ key: 'http-api', id: copy.ApiId }));
    await s.store.requestDelete(STACK);
    expect((await s.settle()).at(-1)).toMatchObject({ outcome: 'deleted' });
    const kept = await s.clients.apigatewayv2.send(new GetApiCommand({ ApiId: copy.ApiId }));
    expect(kept.Tags).toEqual(OWN_TAGS);
  });
});

describe('scenario: the crashes of the report, with DNS', () => {
  it('crashes after calls 31, 45 and 60, each next pass at once: one VPC, then none, then nothing left', async () => {
    const s = fullScenario({ afterCrashMs: 0 });
    const dns = exampleDns(await exampleZoneId(s));
    await s.apply(specInput({ mode: 'fargate', dns }));
    // As the CLI run again at once: one pass each, dying after its k-th call (a shorter pass does not).
    const results = [];
    for (const k of [31, 45, 60]) {
      s.account.setFaults({ crashAfterCalls: k });
      results.push(await s.pass());
      s.account.setFaults({});
    }
    expect(results[0]).toBe('crashed');
    const up = await s.settle();
    expect(up.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    expect(count(s, 'AWS::EC2::VPC')).toBe(1);
    expect(byType(s.owned())).toMatchObject({ 'AWS::EC2::Subnet': 2, 'AWS::EC2::InternetGateway': 1 });

    await s.apply(specInput({ mode: 'lambda', dns }));
    await s.settle();
    expect(count(s, 'AWS::EC2::VPC')).toBe(0);

    await s.store.requestDelete(STACK);
    const deleted = await s.settle();
    expect(deleted.at(-1)).toMatchObject({ outcome: 'deleted' });
    expect(s.owned()).toEqual([]);
    const zone = await s.clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: dns.hostedZoneId }),
    );
    expect((zone.ResourceRecordSets ?? []).map((r) => r.Type).sort()).toEqual(['NS', 'SOA']);
  });
});
