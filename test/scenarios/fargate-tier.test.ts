/**
 * Scenarios: the whole reconciler against the simulated AWS.
 */
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { byType, scenario, specInput, STACK } from './harness';

const FARGATE_TYPES = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::RouteTable',
  'AWS::EC2::SecurityGroup',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::ElasticLoadBalancingV2::TargetGroup',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ECS::Cluster',
  'AWS::ECS::Service',
  'AWS::ECS::TaskDefinition',
  'AWS::ApplicationAutoScaling::ScalableTarget',
];

async function scaledUp(s: ReturnType<typeof scenario>) {
  await s.apply(specInput({ mode: 'fargate' }));
  return s.settle();
}

describe('scenario: the Fargate tier', () => {
  it('1. mode fargate from nothing: every resource exists, tagged, and the targets are healthy', async () => {
    const s = scenario();
    const passes = await scaledUp(s);
    expect(passes.at(-1)).toMatchObject({ outcome: 'reconciled', phase: 'Fargate', settled: true });
    const types = new Set(s.owned().map((r) => r.type));
    for (const type of FARGATE_TYPES) expect(types).toContain(type);
    for (const item of s.owned()) {
      expect(item.tags).toMatchObject({ 'lambdaflex:stack': STACK, 'lambdaflex:managed-by': 'lambdaflex' });
    }
    const record = await s.store.get(STACK);
    const tg = record!.status!.resources.tg;
    const health = await s.clients.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: tg.arn ?? tg.id }),
    );
    const healthy = (health.TargetHealthDescriptions ?? []).filter(
      (t) => t.TargetHealth?.State === 'healthy',
    );
    expect(healthy.length).toBeGreaterThanOrEqual(1);
  });

  it('2. the next pass makes no mutating call (steady state)', async () => {
    const s = scenario();
    await scaledUp(s);
    s.account.advance(60_000);
    const next = await s.pass();
    expect(next).not.toBe('crashed');
    if (next === 'crashed') return;
    expect(next.calls.mutating).toBe(0);
    expect(next.plan?.steps).toEqual([]);
    const status = (await s.store.get(STACK))!.status!;
    expect(status.lastPass?.apiCalls).toEqual({ total: next.calls.total, mutating: 0 });
  });

  it('3. mode lambda: the whole Fargate tier is deleted, lingering ENIs and all', async () => {
    const s = scenario();
    await scaledUp(s);
    await s.apply(specInput({ mode: 'lambda' }));
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const left = s.owned().filter((r) => FARGATE_TYPES.includes(r.type));
    expect(left).toEqual([]);
    const enis = s.account.inventory().filter((r) => r.type === 'AWS::EC2::NetworkInterface');
    expect(enis).toEqual([]);
  });

  it('6. resources with our names but without our tag, and another stack, are untouched', async () => {
    const s = scenario();
    // Another stack, built first by the same reconciler.
    await s.apply(specInput({ stack: 'billing-api', mode: 'fargate' }));
    const other = { ...s.reconciler };
    const { reconcileStack } = await import('../../reconciler/reconcile');
    for (let i = 0; i < 100; i++) {
      const r = await reconcileStack(other, 'billing-api');
      if (r.settled) break;
      s.account.advance(Math.max(5_000, r.requeueAfterMs ?? 15_000));
    }
    const before = s.account.inventory().filter((r) => r.tags['lambdaflex:stack'] === 'billing-api');
    expect(before.length).toBeGreaterThan(10);
    await scaledUp(s);
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    const after = s.account.inventory().filter((r) => r.tags['lambdaflex:stack'] === 'billing-api');
    expect(after.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
  });

  it('an invalid spec edited by hand changes nothing and says why (safety rule 5)', async () => {
    const s = scenario();
    await s.apply(specInput());
    const record = (await s.store.get(STACK))!;
    (record.spec as Record<string, unknown>).port = 70000;
    // A console edit: straight into the record, past validation.
    (s.store as unknown as { records: Map<string, unknown> }).records.set(STACK, record);
    const result = await s.pass();
    expect(result).toMatchObject({ outcome: 'invalid' });
    expect(s.owned()).toEqual([]);
    const status = (await s.store.get(STACK))!.status!;
    expect(status.conditions.find((c) => c.type === 'SpecValid')).toMatchObject({
      status: 'False',
      message: expect.stringContaining('port'),
    });
  });

  it('ends with one of each resource (no duplicates)', async () => {
    const s = scenario();
    await scaledUp(s);
    expect(byType(s.owned())).toMatchObject({
      'AWS::EC2::VPC': 1,
      'AWS::EC2::Subnet': 2,
      'AWS::EC2::SecurityGroup': 2,
      'AWS::ElasticLoadBalancingV2::LoadBalancer': 1,
      'AWS::ECS::Service': 1,
    });
  });
});
