/**
 * What only a name the spec dropped needs, while it drains on the way up (traffic/old-name.ts): the HTTPS
 * listener the spec no longer wants (its certificate went with `dns`) and the ownership TXT kept there
 * are waited on, not deleted (pass/plan.ts `holdForOldName`), and the load balancer's security group keeps
 * the HTTPS port open (elbv2/listener.ts `servedPorts`, as the group's ingress reads it).
 */
import { plan as makePlan } from '../../../reconciler/engine/plan';
import type { Observation } from '../../../reconciler/engine/types';
import { holdForOldName } from '../../../reconciler/pass/plan';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import { securityGroupResource } from '../../../reconciler/resources/ec2/security-group';
import { servedPorts } from '../../../reconciler/resources/elbv2/listener';
import { DEFAULT_INTENT, withIntent } from '../../../reconciler/resources/intent';
import type { ObservedResource } from '../../../reconciler/resources/types';
import type { DnsLeftoversExtra } from '../../../reconciler/resources/route53/dns-leftovers';
import { NOW, testSpec } from '../resources/fixtures';

const noDns = testSpec({ mode: 'fargate', dns: undefined });
const withCertificate = testSpec({
  mode: 'fargate',
  dns: {
    hostedZoneId: 'Z0LD',
    recordName: 'api.example.com',
    ttlSeconds: 60,
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
  },
});

function observed(key: string, extra: Partial<ObservedResource> = {}): ObservedResource {
  return {
    key,
    type: 'T',
    id: `${key}-id`,
    arn: `arn:${key}`,
    tags: {},
    attributes: {},
    ready: true,
    ...extra,
  };
}

/** The old name's TXT alone, in sync (its records gone), as dns-leftovers reports it. */
const txtOnly: ObservedResource<DnsLeftoversExtra> = {
  key: 'dns-leftovers',
  type: 'AWS::Route53::RecordSet',
  id: 'Z0LD/old.example.com.',
  tags: {},
  attributes: { names: ['old.example.com.'] },
  ready: true,
  state: 'INSYNC',
  extra: { leftovers: [{ hostedZoneId: 'Z0LD', recordName: 'old.example.com.', records: [] }] },
};

const observation: Observation = {
  resources: { 'listener-https': observed('listener-https'), 'dns-leftovers': txtOnly },
  unknown: {},
};

const planned = () => makePlan(noDns, 'fargate', observation, NOW, ALL_RESOURCES);
const stepOf = (steps: { key: string; id: string }[], key: string) =>
  steps.filter((s) => s.key === key).map((s) => s.id);

describe('holdForOldName', () => {
  it('unchanged when no old name drains: the listener and the TXT are deleted', () => {
    const plan = holdForOldName(planned(), {}, observation);
    expect(stepOf(plan.steps, 'listener-https')).toEqual(['delete:listener-https']);
    expect(stepOf(plan.steps, 'dns-leftovers')).toEqual(['delete:dns-leftovers']);
  });

  it('while it drains: both waited on until gone, and what waited on their deletes waits on the waits', () => {
    const base = planned();
    // A step held by the listener's delete (as the target group's is on the way down).
    const dependent = { ...base.steps[0]!, id: 'delete:target-group', dependsOn: ['delete:listener-https'] };
    const plan = holdForOldName(
      { ...base, steps: [...base.steps, dependent] },
      { oldNameDrains: true },
      observation,
    );
    const held = plan.steps.filter((s) => ['listener-https', 'dns-leftovers'].includes(s.key));
    expect(held.map((s) => [s.id, s.action, s.waitUntil])).toEqual(
      expect.arrayContaining([
        ['wait:listener-https', 'wait', 'gone'],
        ['wait:dns-leftovers', 'wait', 'gone'],
      ]),
    );
    expect(held).toHaveLength(2);
    expect(plan.steps.find((s) => s.id === 'delete:target-group')!.dependsOn).toEqual([
      'wait:listener-https',
    ]);
  });

  it('the TXT written again to wait on (rewriteWeights) or records still there: their delete is planned', () => {
    const rewrite = holdForOldName(planned(), { oldNameDrains: true, rewriteWeights: true }, observation);
    expect(stepOf(rewrite.steps, 'dns-leftovers')).toEqual(['delete:dns-leftovers']);
    expect(stepOf(rewrite.steps, 'listener-https')).toEqual(['wait:listener-https']);
    const records: Observation = {
      ...observation,
      resources: {
        ...observation.resources,
        'dns-leftovers': {
          ...txtOnly,
          extra: {
            leftovers: [
              { hostedZoneId: 'Z0LD', recordName: 'old.example.com.', records: [{ Name: 'x', Type: 'A' }] },
            ],
          },
        },
      },
    };
    const base = makePlan(noDns, 'fargate', records, NOW, ALL_RESOURCES);
    expect(stepOf(holdForOldName(base, { oldNameDrains: true }, records).steps, 'dns-leftovers')).toEqual([
      'delete:dns-leftovers',
    ]);
  });

  // The old name's custom domain (and its API mapping) serves clients given its alias until resolvers let
  // go of the old records: on Lambda as on Fargate, and on the way down while the records drain.
  it.each([
    ['the old name drains on its own', { oldNameDrains: true as const }],
    ['the way down drains it with the records', { planResources: 'lambda-tier-and-records' as const }],
  ])('the old custom domain is waited on, not deleted, while %s', (_case, traffic) => {
    const withDomain: Observation = {
      resources: {
        'dns-leftovers': txtOnly,
        'api-domain-leftovers': observed('api-domain-leftovers', {
          extra: { domainNames: ['old.example.com'] },
        }) as never,
      },
      unknown: {},
    };
    const base = makePlan(noDns, 'lambda', withDomain, NOW, ALL_RESOURCES);
    expect(stepOf(base.steps, 'api-domain-leftovers')).toEqual(['delete:api-domain-leftovers']);
    const held = holdForOldName(base, traffic, withDomain);
    expect(stepOf(held.steps, 'api-domain-leftovers')).toEqual(['wait:api-domain-leftovers']);
    expect(stepOf(holdForOldName(base, {}, withDomain).steps, 'api-domain-leftovers')).toEqual([
      'delete:api-domain-leftovers',
    ]);
  });

  it('a listener the spec wants is not touched', () => {
    const plan = makePlan(withCertificate, 'fargate', observation, NOW, ALL_RESOURCES);
    const held = holdForOldName(plan, { oldNameDrains: true }, observation);
    expect(held.steps.filter((s) => s.key === 'listener-https')).toEqual(
      plan.steps.filter((s) => s.key === 'listener-https'),
    );
  });
});

describe('servedPorts and the load balancer’s security group', () => {
  const refs = { 'listener-https': observed('listener-https'), 'sg-alb': observed('sg-alb') };
  const ingress = (intent = DEFAULT_INTENT, r: typeof refs | Record<string, never> = refs) =>
    securityGroupResource('alb').desiredAttributes(noDns, r, intent).ingress;

  it('keeps 443 open while the old name drains and the HTTPS listener is there; 80 alone otherwise', () => {
    expect(servedPorts(noDns, refs, withIntent({ oldNameDrains: true }))).toEqual([80, 443]);
    expect(servedPorts(noDns, refs, DEFAULT_INTENT)).toEqual([80]);
    expect(servedPorts(noDns, {}, withIntent({ oldNameDrains: true }))).toEqual([80]);
    const foreign = { 'listener-https': observed('listener-https', { foreign: true }) };
    expect(servedPorts(noDns, foreign, withIntent({ oldNameDrains: true }))).toEqual([80]);
    expect(servedPorts(withCertificate, refs, withIntent({ oldNameDrains: true }))).toEqual([80, 443]);
  });

  it('the group’s ingress follows them', () => {
    expect(ingress(withIntent({ oldNameDrains: true }))).toHaveLength(2);
    expect(ingress()).toHaveLength(1);
    expect(ingress(withIntent({ oldNameDrains: true }), {})).toHaveLength(1);
  });
});
