/**
 * Dependencies with a strength (resources/types.ts, DependencyStrength): a dependency of strength 'ready'
 * holds a step until its own step is done; one of strength 'order' only puts the step after it. First on
 * fake kinds (the engine's rule), then on the stack's own kinds: the weighted records and the ALB, where the
 * strength is what lets traffic leave Fargate while the ALB is provisioning, and what keeps safety rule 1
 * in the plan (no fargate record step that routes traffic to Fargate goes before the ALB is ready; the
 * lambda record's batch keeps it when it writes both, dns-record.test.ts).
 */
import fc from 'fast-check';
import { applyPlan } from '../../../reconciler/engine/apply';
import { formatPlan } from '../../../reconciler/engine/format';
import { ResourceGraph } from '../../../reconciler/engine/graph';
import { observe } from '../../../reconciler/engine/observe';
import { plan } from '../../../reconciler/engine/plan';
import type { Observation, PlanStep } from '../../../reconciler/engine/types';
import { loadBalancerResource } from '../../../reconciler/resources/elbv2/load-balancer';
import { withIntent, type Intent } from '../../../reconciler/resources/intent';
import { dnsRecordResource } from '../../../reconciler/resources/route53/dns-record';
import type { ObservedResource } from '../../../reconciler/resources/types';
import { NOW, observed, testSpec as stackSpec } from '../resources/fixtures';
import { FakeCloud, fakeResource, noClients, testSpec } from './fake-kinds';

describe('a dependency of strength order', () => {
  // `record` orders after `alb` while no traffic goes to it, and needs it ready otherwise.
  const byWeight = (dep: string, intent: Intent) =>
    dep === 'alb' && intent.weights.fargate === 0 ? ('order' as const) : ('ready' as const);

  function setup() {
    const cloud = new FakeCloud();
    const kinds = [
      fakeResource(cloud, 'alb', [], { readyOnCreate: false }),
      fakeResource(cloud, 'record', ['alb'], { strength: byWeight }),
      fakeResource(cloud, 'service', ['alb']),
    ];
    const spec = testSpec();
    const base = { clients: noClients, spec, region: 'us-east-1', now: () => 0 };
    const pass = async (intent: Intent) => {
      const observation = await observe({ ...base, intent }, kinds);
      const p = plan(spec, 'fargate', observation, 0, kinds, intent);
      const result = await applyPlan(p, observation, { ...base, intent, kinds });
      return { plan: p, result };
    };
    return { cloud, pass };
  }

  const off = withIntent({ weights: { lambda: 100, fargate: 0 } });
  const on = withIntent({ weights: { lambda: 50, fargate: 50 } });

  it('plans the step after its dependency without being held by it; a ready dependency still holds', () => {
    const p = plan(testSpec(), 'fargate', { resources: {}, unknown: {} }, 0, setup0(), off);
    expect(p.steps.find((s) => s.key === 'record')).toMatchObject({ dependsOn: [], after: ['create:alb'] });
    expect(p.steps.find((s) => s.key === 'service')).toMatchObject({ dependsOn: ['create:alb'] });
    expect(p.steps.find((s) => s.key === 'service')!.after).toBeUndefined();
    expect(formatPlan(p)).toContain('ordered after create:alb, not held by them');

    // The strength is the kind's, for this pass: with traffic to send, the same dependency holds.
    const held = plan(testSpec(), 'fargate', { resources: {}, unknown: {} }, 0, setup0(), on);
    expect(held.steps.find((s) => s.key === 'record')).toMatchObject({ dependsOn: ['create:alb'] });
  });

  it('runs the ordered step once its dependency has answered, while the dependency is still provisioning', async () => {
    const { cloud, pass } = setup();
    const { result } = await pass(off);
    expect(result.outcomes['create:alb']).toEqual({ status: 'waiting', reason: 'alb provisioning' });
    expect(result.outcomes['create:record']).toEqual({ status: 'done' });
    expect(result.outcomes['create:service']).toMatchObject({ status: 'blocked' });
    // Never before its dependency's step, never at the same time.
    expect(cloud.calls.indexOf('create:record')).toBeGreaterThan(cloud.calls.indexOf('create:alb'));
  });

  it('holds the step that sends traffic until the dependency is ready', async () => {
    const { cloud, pass } = setup();
    const { result } = await pass(on);
    expect(result.outcomes['create:record']).toMatchObject({ status: 'blocked' });
    expect(cloud.calls).not.toContain('create:record');
  });

  it('still runs after a dependency whose step failed', async () => {
    const { cloud, pass } = setup();
    cloud.failures.set('create:alb', [
      Object.assign(new Error('busy'), { name: 'FakeBusy', $fault: 'client' }),
    ]);
    const { result } = await pass(off);
    expect(result.outcomes['create:alb']).toMatchObject({ status: 'retryable' });
    expect(result.outcomes['create:record']).toEqual({ status: 'done' });
  });

  /** The kinds of `setup`, for pure plans (no cloud behind them is called). */
  function setup0() {
    const cloud = new FakeCloud();
    return [
      fakeResource(cloud, 'alb'),
      fakeResource(cloud, 'record', ['alb'], { strength: byWeight }),
      fakeResource(cloud, 'service', ['alb']),
    ];
  }
});

describe('the weighted records and the ALB', () => {
  const spec = stackSpec();
  const lambdaRecord = dnsRecordResource('lambda');
  const fargateRecord = dnsRecordResource('fargate');
  // The records and the ALB; the API, the subnets and the security group are given (as refs).
  const graph = ResourceGraph.partOf([loadBalancerResource, lambdaRecord, fargateRecord]);
  const ALB_DNS = 'lf-orders-api-alb-1.us-east-1.elb.amazonaws.com';
  const OLD_ALB_DNS = 'lf-orders-api-alb-0.us-east-1.elb.amazonaws.com';

  type AlbSeen = 'absent' | 'provisioning' | 'active' | 'unknown' | 'foreign';
  const ALB_SEEN: readonly AlbSeen[] = ['absent', 'provisioning', 'active', 'unknown', 'foreign'];

  function alb(seen: AlbSeen): ObservedResource | undefined {
    if (seen === 'absent' || seen === 'unknown') return undefined;
    return observed(
      'alb',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'arn:alb',
      loadBalancerResource.desiredAttributes(spec, {}, withIntent({})),
      {
        state: seen === 'provisioning' ? 'provisioning' : 'active',
        ready: seen === 'active',
        ...(seen === 'foreign' ? { foreign: true } : {}),
        extra: { dnsName: ALB_DNS, canonicalHostedZoneId: 'Z35SXDOTRQ7X7K', arnSuffix: 'app/x/1' },
      },
    );
  }

  /** A record as Route 53 holds it (weight and alias), ready. */
  function record(tier: 'lambda' | 'fargate', weight: number, aliasDns: string): ObservedResource {
    const attributes = {
      ...lambdaRecord.desiredAttributes(spec, {}, withIntent({})),
      setIdentifier: tier,
      weight,
      aliasTarget: { dnsName: `${aliasDns}.`, hostedZoneId: 'Z', evaluateTargetHealth: false },
    };
    return observed(`dns-${tier}`, 'AWS::Route53::RecordSet', `Z/${tier}`, attributes, { ready: true });
  }

  function world(seen: AlbSeen, lambdaWeight: number, fargate: number | undefined, aliasDns: string) {
    const resources: Record<string, ObservedResource | undefined> = {
      alb: alb(seen),
      'dns-lambda': record('lambda', lambdaWeight, 'd-1.execute-api.us-east-1.amazonaws.com'),
      ...(fargate === undefined ? {} : { 'dns-fargate': record('fargate', fargate, aliasDns) }),
    };
    const observation: Observation = {
      resources: resources as Observation['resources'],
      unknown: seen === 'unknown' ? { alb: 'finding the ALB: Throttling' } : {},
    };
    return observation;
  }

  const albStep = (steps: PlanStep[]) => steps.find((s) => s.key === 'alb');
  const fargateSteps = (steps: PlanStep[]) =>
    steps.filter((s) => s.key === 'dns-fargate' && s.action !== 'conflict');

  it('lets the fargate record go to 0 while the ALB is made again, after its create and not held by its provisioning', () => {
    // Mid-shift, the ALB was deleted behind the stack's back: traffic leaves Fargate, and the ALB is created again.
    const intent = withIntent({ weights: { lambda: 100, fargate: 0 } });
    const p = plan(spec, 'fargate', world('absent', 90, 10, OLD_ALB_DNS), NOW, graph, intent);
    expect(p.steps.map((s) => s.id)).toEqual(['create:alb', 'update:dns-lambda', 'update:dns-fargate']);
    // The lambda record stays within its tier: never behind the ALB (its batch copes, dns-record.ts).
    expect(p.steps.find((s) => s.key === 'dns-lambda')).toMatchObject({ dependsOn: [] });
    expect(p.steps.find((s) => s.key === 'dns-fargate')).toMatchObject({
      dependsOn: [],
      after: ['create:alb', 'update:dns-lambda'],
    });
  });

  it('holds the fargate record behind the ALB while it routes traffic there (safety rule 1)', () => {
    // A shift asked for while the ALB's look-up failed: the weight waits for a clean look-up.
    const intent = withIntent({ weights: { lambda: 50, fargate: 50 } });
    const p = plan(spec, 'fargate', world('unknown', 90, 10, ALB_DNS), NOW, graph, intent);
    expect(p.steps.find((s) => s.key === 'dns-fargate')).toMatchObject({
      dependsOn: ['wait:alb'],
      after: ['update:dns-lambda'],
    });
  });

  const weights = fc.constantFrom(0, 10, 50, 100);
  const scene = fc.record({
    seen: fc.constantFrom(...ALB_SEEN),
    fargate: weights,
    heldLambda: weights,
    heldFargate: fc.option(weights, { nil: undefined }),
    alias: fc.constantFrom(ALB_DNS, OLD_ALB_DNS),
  });

  it('property: the fargate record step goes before the ALB is ready only when the pass sends Fargate nothing', () => {
    fc.assert(
      fc.property(scene, ({ seen, fargate, heldLambda, heldFargate, alias }) => {
        const intent = withIntent({ weights: { lambda: 100 - fargate, fargate } });
        const p = plan(spec, 'fargate', world(seen, heldLambda, heldFargate, alias), NOW, graph, intent);
        const before = albStep(p.steps);
        for (const step of fargateSteps(p.steps)) {
          if (!before) continue;
          const held = step.dependsOn.includes(before.id);
          const ordered = step.after?.includes(before.id) ?? false;
          // Always after the ALB's step, never at the same time (its answer is the alias target).
          expect(held || ordered).toBe(true);
          // Safety rule 1: not held by the ALB only when no weight goes to Fargate.
          if (!held) expect(fargate).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: with no weight for Fargate, the fargate record step does not wait for the ALB to become ready', () => {
    fc.assert(
      fc.property(scene, ({ seen, heldLambda, heldFargate, alias }) => {
        const intent = withIntent({ weights: { lambda: 100, fargate: 0 } });
        const p = plan(spec, 'fargate', world(seen, heldLambda, heldFargate, alias), NOW, graph, intent);
        const before = albStep(p.steps);
        for (const step of fargateSteps(p.steps)) {
          expect(step.dependsOn).not.toContain(before?.id ?? 'none');
          // But after its step, never at the same time: its answer is the alias target.
          if (before) expect(step.after).toContain(before.id);
          // And the two records never at once: the fargate one after the lambda one's step, if any.
          const lambdaStep = p.steps.find((s) => s.key === 'dns-lambda');
          if (lambdaStep) expect(step.after).toContain(lambdaStep.id);
        }
      }),
      { numRuns: 300 },
    );
  });
});
