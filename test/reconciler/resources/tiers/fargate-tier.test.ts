import { FARGATE_TIER_RESOURCES } from '../../../../reconciler/resources/tiers/fargate-tier';
import { testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

describe('FARGATE_TIER_RESOURCES', () => {
  const keys = FARGATE_TIER_RESOURCES.map((kind) => kind.key);

  it('holds every resource of the Fargate tier once', () => {
    expect([...keys].sort()).toEqual(
      [
        'vpc',
        'subnet-a',
        'subnet-b',
        'igw',
        'route-table',
        'sg-alb',
        'sg-tasks',
        'alb',
        'tg',
        'listener-http',
        'listener-https',
        'cluster',
        'execution-role',
        'task-role',
        // Never wanted: the account-wide role of before names carried the region, deleted once replaced.
        'execution-role-global',
        'task-definition',
        'service',
        'scalable-target',
        'scaling-policy',
      ].sort(),
    );
  });

  it('lists every kind after all the kinds it depends on (creation order)', () => {
    const violations = FARGATE_TIER_RESOURCES.flatMap((kind, index) =>
      kind.dependsOn
        .filter((dependency) => !keys.slice(0, index).includes(dependency))
        .map((dependency) => `${kind.key} before ${dependency}`),
    );
    expect(violations).toEqual([]);
  });

  it('is all Fargate tier, with pure neededBy()', () => {
    for (const kind of FARGATE_TIER_RESOURCES) expect(kind.tier).toBe('fargate');
    const wanted = FARGATE_TIER_RESOURCES.filter((kind) => kind.neededBy(testSpec())).map((kind) => kind.key);
    expect(wanted).toEqual(
      FARGATE_TIER_RESOURCES.map((kind) => kind.key).filter((key) => key !== 'execution-role-global'),
    );
  });

  it('can describe what it wants before any dependency exists (a plan from nothing)', () => {
    for (const kind of FARGATE_TIER_RESOURCES)
      expect(() => kind.desiredAttributes(testSpec(), {}, DEFAULT_INTENT)).not.toThrow();
  });
});
