/**
 * A kind's `extra` is typed by its key (ExtraByKey, resources/keys.ts): read through the kind object or
 * the key, it has the shape the kind's finder reports, with no cast. The `@ts-expect-error` lines are the
 * type half of this test: `npx tsc --noEmit` fails if any of them stops being an error.
 */
import { ecsServiceResource } from '../../../reconciler/resources/ecs/service';
import { loadBalancerResource } from '../../../reconciler/resources/elbv2/load-balancer';
import { extraOf } from '../../../reconciler/resources/extra';
import { RESOURCE_KEYS } from '../../../reconciler/resources/keys';
import type { ObservedResources, StackResource } from '../../../reconciler/resources/types';
import { observed } from './fixtures';

const resources: ObservedResources = {
  [RESOURCE_KEYS.service]: observed(
    RESOURCE_KEYS.service,
    'AWS::ECS::Service',
    'svc',
    {},
    { extra: { runningCount: 2, desiredCount: 2, healthyTargets: 1, failedRollouts: [] } },
  ),
  [RESOURCE_KEYS.loadBalancer]: observed(
    RESOURCE_KEYS.loadBalancer,
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'arn:alb',
    {},
    { extra: { dnsName: 'alb.example.com', canonicalHostedZoneId: 'Z35SXDOTRQ7X7K', arnSuffix: 'app/a/1' } },
  ),
};

describe('extraOf', () => {
  it("reads a resource's extra through its kind, in the kind's shape", () => {
    const healthy: number | undefined = extraOf(resources, ecsServiceResource)?.healthyTargets;
    expect(healthy).toBe(1);
    expect(extraOf(resources, loadBalancerResource)?.dnsName).toBe('alb.example.com');
    // The key reads the same, typed.
    expect(resources[RESOURCE_KEYS.loadBalancer]?.extra?.arnSuffix).toBe('app/a/1');
  });

  it('is undefined for an absent resource', () => {
    expect(extraOf({}, ecsServiceResource)).toBeUndefined();
  });

  it('refuses, at compile time, an extra of the wrong shape and a read of a field the kind does not report', () => {
    const wrong: ObservedResources = {
      // @ts-expect-error the load balancer's extra has no healthyTargets, and needs its dnsName
      [RESOURCE_KEYS.loadBalancer]: { ...resources.alb!, extra: { healthyTargets: 1 } },
    };
    // @ts-expect-error the service's extra has no dnsName
    expect(extraOf(resources, ecsServiceResource)?.dnsName).toBeUndefined();
    // @ts-expect-error a kind's finder must report the extra its key registers
    const finder: StackResource<typeof RESOURCE_KEYS.service>['find'] = async () => resources.alb;
    expect(wrong.alb?.extra).toEqual({ healthyTargets: 1 });
    expect(finder).toBeInstanceOf(Function);
  });
});
