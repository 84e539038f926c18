import { plan } from '../../../../reconciler/engine/plan';
import { LAMBDA_TIER_RESOURCES } from '../../../../reconciler/resources/tiers/lambda-tier';
import { NOW, testSpec } from '../fixtures';

describe('LAMBDA_TIER_RESOURCES', () => {
  const keys = LAMBDA_TIER_RESOURCES.map((kind) => kind.key);

  it('lists every Lambda-tier kind once, all in the lambda tier', () => {
    expect(keys).toEqual([
      'lambda-role',
      'lambda-function',
      'http-api',
      'api-integration',
      'api-route',
      'api-stage',
      'lambda-permission',
      'api-domain',
      'api-mapping',
      'api-domain-leftovers',
      'dns-lambda',
      // Never wanted: the account-wide role of before names carried the region, deleted once replaced.
      'lambda-role-global',
    ]);
    expect(LAMBDA_TIER_RESOURCES.every((kind) => kind.tier === 'lambda')).toBe(true);
  });

  it('is in creation order: each kind after the kinds it depends on, all of them in the list', () => {
    LAMBDA_TIER_RESOURCES.forEach((kind, index) => {
      for (const dependency of kind.dependsOn) {
        expect(keys.indexOf(dependency)).toBeGreaterThanOrEqual(0);
        expect(keys.indexOf(dependency)).toBeLessThan(index);
      }
    });
  });

  it('plans every kind for an empty account with a certificate, and no domain without dns', () => {
    const empty = { resources: {}, unknown: {} };
    const withDns = plan(testSpec(), 'lambda', empty, NOW, LAMBDA_TIER_RESOURCES);
    // Everything but what is never wanted: the leftovers of an earlier spec, the role of before.
    const created = keys.filter((key) => key !== 'api-domain-leftovers' && key !== 'lambda-role-global');
    expect(withDns.steps.map((step) => step.id)).toEqual(created.map((key) => `create:${key}`));
    const withoutDns = plan(testSpec({ dns: undefined }), 'lambda', empty, NOW, LAMBDA_TIER_RESOURCES);
    expect(withoutDns.steps.map((step) => step.key)).toEqual(keys.slice(0, 7));
  });
});
