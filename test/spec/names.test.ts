import { createHash } from 'node:crypto';
import {
  COMPONENTS,
  NAME_LIMITS,
  TAG_COMPONENT,
  TAG_MANAGED_BY,
  TAG_STACK,
  isOwnedBy,
  names,
  ownershipTagList,
  ownershipTags,
  resourceName,
} from '../../spec';

const LONGEST = `a${'b'.repeat(22)}9`; // 24 characters, the longest stack name

describe('resourceName', () => {
  it('is lf-<stack>-<component> when it fits', () => {
    expect(resourceName('orders-api', 'alb', 32)).toBe('lf-orders-api-alb');
  });

  it('is cut to the limit and ends with a 6-hex hash when it does not fit', () => {
    const name = resourceName(LONGEST, 'execution-role', 32);
    expect(name).toHaveLength(32);
    const hash = createHash('sha256').update(`lf-${LONGEST}-execution-role`).digest('hex').slice(0, 6);
    expect(name).toBe(`lf-a${'b'.repeat(21)}-${hash}`);
  });

  it('is deterministic', () => {
    expect(resourceName(LONGEST, 'tg', 32)).toBe(resourceName(LONGEST, 'tg', 32));
  });

  it('gives different names to components that share a long prefix', () => {
    expect(resourceName(LONGEST, 'subnet-a', 32)).not.toBe(resourceName(LONGEST, 'subnet-b', 32));
  });

  it('never leaves a hyphen before the hash doubled or at the end (ALB rule)', () => {
    // 'lf-' + 20 chars + '-' lands the cut right after a hyphen.
    const name = resourceName('abcdefghijklmnopqrst-x', 'target-group', 32);
    expect(name).not.toMatch(/--/);
    expect(name).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/);
  });
});

describe('names', () => {
  it('names every resource of the stack', () => {
    expect(names('orders-api')).toEqual({
      vpc: 'lf-orders-api-vpc',
      subnetA: 'lf-orders-api-subnet-a',
      subnetB: 'lf-orders-api-subnet-b',
      internetGateway: 'lf-orders-api-igw',
      routeTable: 'lf-orders-api-route-table',
      albSecurityGroup: 'lf-orders-api-sg-alb',
      tasksSecurityGroup: 'lf-orders-api-sg-tasks',
      loadBalancer: 'lf-orders-api-alb',
      targetGroup: 'lf-orders-api-tg',
      cluster: 'lf-orders-api-cluster',
      service: 'lf-orders-api-service',
      taskFamily: 'lf-orders-api-task',
      executionRole: 'lf-orders-api-execution-role',
      scalingPolicy: 'lf-orders-api-scaling-policy',
      lambdaFunction: 'lf-orders-api-function',
      lambdaRole: 'lf-orders-api-lambda-role',
      api: 'lf-orders-api-api',
      logGroup: '/lambdaflex/orders-api',
    });
  });

  it('keeps ALB and target group names within 32 characters for the longest stack name', () => {
    const n = names(LONGEST);
    expect(n.loadBalancer.length).toBeLessThanOrEqual(NAME_LIMITS.alb);
    expect(n.targetGroup.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroup);
  });

  it('has one component per name', () => {
    expect(Object.keys(COMPONENTS).sort()).toEqual(Object.keys(names('x-y-z')).sort());
  });
});

describe('ownership tags', () => {
  it('tags stack, component and manager', () => {
    expect(ownershipTags('orders-api', 'alb')).toEqual({
      'lambdaflex:stack': 'orders-api',
      'lambdaflex:component': 'alb',
      'lambdaflex:managed-by': 'lambdaflex',
    });
    expect([TAG_STACK, TAG_COMPONENT, TAG_MANAGED_BY]).toEqual([
      'lambdaflex:stack',
      'lambdaflex:component',
      'lambdaflex:managed-by',
    ]);
  });

  it('has a Key/Value list form', () => {
    expect(ownershipTagList('orders-api', 'vpc')).toEqual([
      { Key: 'lambdaflex:stack', Value: 'orders-api' },
      { Key: 'lambdaflex:component', Value: 'vpc' },
      { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
    ]);
  });

  it('recognises only resources of the same stack managed by LambdaFlex', () => {
    expect(isOwnedBy(ownershipTags('orders-api', 'vpc'), 'orders-api')).toBe(true);
    expect(isOwnedBy(ownershipTags('orders-api', 'vpc'), 'orders')).toBe(false);
    expect(isOwnedBy({ 'lambdaflex:stack': 'orders-api' }, 'orders-api')).toBe(false);
    expect(isOwnedBy({}, 'orders-api')).toBe(false);
  });
});
